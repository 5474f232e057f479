import type { DirectoryUser } from '@/lib/users'
import { Avatar } from './Avatar'

/** Props of {@link ConversationPane}. */
export interface ConversationPaneProps {
  /** The person whose conversation is open, or `null` when there is nobody to talk to. */
  person: DirectoryUser | null
  active: boolean
}

/** The open conversation: who it is with and whether they are active right now. */
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
    </section>
  )
}
