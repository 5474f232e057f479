'use client'
import {
  shallow,
  useActiveChannel,
  useActiveList,
  useConnectionState,
  useMembers,
} from '@presence/react'
import type { DirectoryUser } from '@/lib/users'

/** The `user_info` that `presence-messenger` signs (see `lib/presence.ts`). */
type MemberInfo = Pick<DirectoryUser, 'name' | 'email' | 'image'>

const names = (snapshot: { members: ReadonlyMap<string, { info: MemberInfo }> }) =>
  [...snapshot.members.values()].map((member) => member.info.name)

/**
 * The original messenger's `ActiveStatus`: joins `presence-messenger` only while signed in,
 * and says where the subscription stands.
 */
export function ActiveChannel({ signedIn }: { signedIn: boolean }) {
  const { status, error } = useActiveChannel('presence-messenger', { enabled: signedIn })
  const connection = useConnectionState()
  // the original messenger's useActiveList: the member ids; the names come from the signed user_info
  const ids = useActiveList('presence-messenger')
  const active = useMembers<MemberInfo, string[]>('presence-messenger', names, shallow)
  return (
    <div className="status" data-testid="channel-status" data-status={status}>
      <div>
        socket: <span data-testid="connection">{connection}</span> · presence-messenger:{' '}
        <span data-testid="status">{status}</span>
        {error && ` (${error.status} ${error.code})`}
      </div>
      {signedIn ? (
        <div data-testid="active-now">
          Active now (<span data-testid="active-count">{ids.length}</span>):{' '}
          {active.length === 0 ? 'nobody yet' : active.join(', ')}
        </div>
      ) : (
        <div className="muted">Signed out: this browser does not join presence-messenger.</div>
      )}
    </div>
  )
}
