'use client'
import { type ChannelState, useChannel } from './useChannel.js'
import type { JoinOptions } from './useJoin.js'

/**
 * Joins the app-wide presence channel while `enabled` (typically while a user is signed in):
 * a messenger's `useActiveChannel`. Mount it once near the root; read the members anywhere with
 * {@link useActiveList}, {@link useMembers} or {@link useIsOnline}. Turning `enabled` off (sign
 * out) leaves the channel and empties the list.
 *
 * @param name - the presence channel.
 * @param options - `enabled` (default `true`).
 * @default name `'presence-messenger'`
 * @returns `{ status, error }` of the channel.
 * @example
 * function ActiveStatus() {
 *   const { data: session } = useSession()
 *   useActiveChannel('presence-messenger', { enabled: !!session?.user })
 *   return null
 * }
 */
export function useActiveChannel(name = 'presence-messenger', options?: JoinOptions): ChannelState {
  return useChannel(name, options)
}
