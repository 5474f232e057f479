'use client'
import type {
  ChannelName,
  Member,
  MemberInfo,
  MemberSnapshot,
  MemberState,
  RegisteredChannels,
} from '@presence/client'
import { useMembers } from './useMembers.js'

const selectMe = (snapshot: MemberSnapshot) => snapshot.me

/**
 * Reads the current user as a member of a presence channel: `{ id, info, state }` (`info`
 * signed by the server, `state` what this user published with {@link useMyState}). Re-renders
 * only when that member changes. Reading does not join the channel.
 *
 * @typeParam N - the channel name (inferred).
 * @param name - the presence channel.
 * @returns the current user's member, or `null` until the channel is subscribed (and on the
 *   server).
 * @example
 * const self = useSelf('presence-room@42')
 * return <p>You are {self?.info.name}</p>
 */
export function useSelf<N extends ChannelName>(
  name: N,
): Member<MemberInfo<RegisteredChannels, N>, MemberState<RegisteredChannels, N>> | null {
  return useMembers(name, selectMe) as Member<
    MemberInfo<RegisteredChannels, N>,
    MemberState<RegisteredChannels, N>
  > | null
}
