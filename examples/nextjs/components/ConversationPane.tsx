import type { DirectoryUser } from '@/lib/users'
import { Avatar } from './Avatar'
import { Composer } from './Composer'
import { TypingIndicator } from './TypingIndicator'

/** Props of {@link ConversationPane}. */
export interface ConversationPaneProps {
  /** The person whose conversation is open, or `null` when there is nobody to talk to. */
  person: DirectoryUser | null
  active: boolean
}

/**
 * The open conversation: who it is with, whether they are active right now, whether they are
 * typing, and the message box (which tells them when this user types).
 */
export function ConversationPane({ person, active }: ConversationPaneProps) {
  if (!person) {
    return (
      <section className="pane empty">
        <p className="muted">Pick a conversation.</p>
      </section>
    )
  }
  const first = person.name.split(' ')[0]
  return (
    <section className="pane" aria-label={`Conversation with ${person.name}`}>
      <header className="pane-head">
        <Avatar user={person} active={active} size="lg" />
        <div>
          <h2>{person.name}</h2>
          <span className={active ? 'presence on' : 'presence'} data-testid="pane-presence">
            {active ? 'Active now' : 'Not active'}
          </span>
        </div>
      </header>
      <div className="pane-body">
        <p className="muted">
          {active
            ? `${first} has the messenger open right now.`
            : `${first} is not in the messenger right now: the badge turns on when they open it.`}
        </p>
      </div>
      <footer className="pane-foot">
        <TypingIndicator userId={person.id} name={first ?? person.name} />
        <Composer key={person.id} to={first ?? person.name} />
        <p className="hint">
          This example shows presence and stores no messages: while you type here, whoever has your
          conversation open sees that you are typing.
        </p>
      </footer>
    </section>
  )
}
