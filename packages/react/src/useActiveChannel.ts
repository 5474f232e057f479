'use client'
import type { ChannelName } from '@presence/client'
import { type ChannelOptions, type ChannelState, useChannel } from './useChannel.js'

/**
 * Joins the app-wide presence channel (a messenger's "active now" channel): mount it once near
 * the root and read the members anywhere with {@link useActiveList}, {@link useMemberList},
 * {@link useMembers} or {@link useIsOnline}. The channel is joined while the provider has a
 * `user` and left on sign-out (the list empties); it is {@link useChannel} under the name a
 * messenger's code uses.
 *
 * @param name - the presence channel.
 * @param options - `enabled` (default `true`) and `events`, as for {@link useChannel}.
 * @returns `{ status, error }` of the channel.
 * @example
 * function ActiveStatus() {
 *   useActiveChannel('presence-messenger')
 *   return null
 * }
 */
export function useActiveChannel<N extends ChannelName>(
  name: N,
  options?: ChannelOptions<N>,
): ChannelState {
  return useChannel(name, options)
}
