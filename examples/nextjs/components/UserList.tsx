'use client'
import { useIsOnline } from '@presence/react'
import type { DirectoryUser } from '@/lib/users'

/** Props of {@link UserList}. */
export interface UserListProps {
  users: readonly DirectoryUser[]
  /** The signed-in user's id, marked "you". */
  meId: string | null
}

function UserRow({ user, isMe }: { user: DirectoryUser; isMe: boolean }) {
  // true while the user is a member of a presence channel this browser joined
  const active = useIsOnline(user.id)
  return (
    <li data-testid={`user-${user.email}`} data-active={active}>
      <span className="avatar" data-active={active} aria-hidden>
        {user.name.slice(0, 1)}
      </span>
      <span>
        {user.name} {isMe && <span className="muted">(you)</span>}
        <br />
        <span className="muted">{user.email}</span>
      </span>
      {active && (
        <span className="badge" data-testid="active-badge">
          Active
        </span>
      )}
    </li>
  )
}

/** The directory: every user, with an "Active" badge for the members of `presence-messenger`. */
export function UserList({ users, meId }: UserListProps) {
  return (
    <ul className="users" data-testid="users">
      {users.map((user) => (
        <UserRow key={user.id} user={user} isMe={user.id === meId} />
      ))}
    </ul>
  )
}
