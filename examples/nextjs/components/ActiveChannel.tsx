'use client'
import {
  shallow,
  useActiveChannel,
  useActiveList,
  useConnectionState,
  useMembers,
} from '@presence/react'

/**
 * The messenger's `ActiveStatus`: holds `presence-messenger`, which the provider's `user`
 * joins only while signed in, and says where the subscription stands.
 */
export function ActiveChannel({ signedIn }: { signedIn: boolean }) {
  const { status, error } = useActiveChannel('presence-messenger')
  const connection = useConnectionState()
  // the messenger's useActiveList: the member ids; the names come from the signed user_info,
  // typed by the channel map in lib/channels.ts
  const ids = useActiveList('presence-messenger')
  const active = useMembers(
    'presence-messenger',
    (s) => [...s.members.values()].map((member) => member.info.name),
    shallow,
  )
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
