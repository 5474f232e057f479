'use client'
import type { DirectoryUser } from '@/lib/users'
import { Avatar } from './Avatar'

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  users: readonly DirectoryUser[]
  /** The signed-in user's id (listed last, marked "you"), or `null` when signed out. */
  meId: string | null
  /** The ids of the members of `presence-messenger`, from `useActiveList`. */
  activeIds: ReadonlySet<string>
  selectedId: string | null
  onSelect(id: string): void
}

/**
 * The messenger's conversations: one per person, with an "Active" badge for
 * every member of `presence-messenger`. Signed out, it says why nobody is active.
 */
export function ConversationList({
  users,
  meId,
  activeIds,
  selectedId,
  onSelect,
}: ConversationListProps) {
  const people = [...users].sort((a, b) => Number(a.id === meId) - Number(b.id === meId))
  const others = people.filter((user) => user.id !== meId && activeIds.has(user.id)).length
  return (
    <nav className="conversations" aria-label="Conversations">
      <div className="conversations-head">
        <h2>Chats</h2>
        {meId ? (
          <span className="muted" data-testid="active-now">
            <span data-testid="active-count">{activeIds.size}</span> active now
            {others === 0 ? ' · nobody else yet' : ''}
          </span>
        ) : null}
      </div>
      {meId ? null : (
        <p className="notice" data-testid="signed-out-notice">
          <strong>Nobody is shown as active while you are signed out.</strong> Active status is
          shared only among signed-in people: this browser joins the presence channel when you sign
          in, and the server refuses it to anyone without a session.
        </p>
      )}
      <ul className="users" data-testid="users">
        {people.map((user) => {
          const active = activeIds.has(user.id)
          const isMe = user.id === meId
          return (
            <li key={user.id} data-testid={`user-${user.email}`} data-active={active}>
              <button
                type="button"
                className="conversation"
                aria-current={user.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(user.id)}
              >
                <Avatar user={user} active={active} />
                <span className="who">
                  <span className="name">
                    {user.name}
                    {isMe ? <span className="muted"> (you)</span> : null}
                  </span>
                  <span className="muted line">
                    {meId === null ? user.email : active ? 'Active now' : 'Not active'}
                  </span>
                </span>
                {active ? (
                  <span className="badge" data-testid="active-badge">
                    Active
                  </span>
                ) : null}
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
