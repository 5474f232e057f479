'use client'
import type { ChannelError, ChannelStatus, MemberSnapshot } from '@presence/client'
import { shallow } from './shallow.js'
import { type JoinOptions, useJoin } from './useJoin.js'
import { useMembers } from './useMembers.js'

/** What {@link useChannel} and {@link useActiveChannel} return. */
export interface ChannelState {
  /** Where the subscription stands: `idle`, `subscribing`, `subscribed`, `unauthenticated`, `forbidden` or `error`. */
  readonly status: ChannelStatus
  /** The server's (or the client's) reason when the channel was refused; `null` otherwise. */
  readonly error: ChannelError | null
}

const pickState = (s: MemberSnapshot): ChannelState => ({ status: s.status, error: s.error })

/**
 * Joins a channel (private, presence, encrypted or public) while mounted and enabled, and
 * returns its status. Re-renders only when the status or error changes, never for member
 * events. Changing `name` leaves the old channel and joins the new one. Listen to its events
 * with {@link useEvent}.
 *
 * @param name - the channel name.
 * @param options - `enabled` (default `true`).
 * @returns `{ status, error }`; `idle` on the server.
 * @example
 * const { status, error } = useChannel(`private-session-${sessionId}`)
 * useEvent(`private-session-${sessionId}`, 'update', (data) => setState(data))
 * if (status === 'forbidden') return <p>Not allowed ({error?.code})</p>
 */
export function useChannel(name: string, options?: JoinOptions): ChannelState {
  useJoin(name, options)
  return useMembers(name, pickState, shallow)
}
