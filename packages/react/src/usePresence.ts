'use client'
import type {
  ChannelName,
  GivenOr,
  MemberInfo,
  MemberSnapshot,
  RegisteredChannels,
} from '@presence/client'
import { type JoinOptions, useJoin } from './useJoin.js'
import { useMembers } from './useMembers.js'
import { identity } from './useStore.js'

/**
 * Joins a presence channel while mounted and enabled, and returns everything about it. It
 * re-renders on every member change; in large channels prefer {@link useMembers} with a
 * selector, or {@link useMemberList}.
 *
 * @typeParam Given - the shape of `user_info`, when the app declares no channel map;
 *   otherwise omit it: the map's member type is used.
 * @typeParam N - the channel name (inferred).
 * @param name - the presence channel.
 * @param options - `enabled` (default `true`).
 * @returns `{ members, me, count, status, error }`: `members` maps user ids to `{ id, info }`;
 *   the idle snapshot on the server.
 * @example
 * const { members, me, count, status } = usePresence(`presence-room@${roomId}`)
 * if (status !== 'subscribed') return <Spinner />
 * return <p>{count} here, you are {me?.info.name}</p>
 */
export function usePresence<Given = never, N extends ChannelName = ChannelName>(
  name: N,
  options?: JoinOptions,
): MemberSnapshot<GivenOr<Given, MemberInfo<RegisteredChannels, N>>> {
  useJoin(name, options)
  return useMembers(name, identity) as MemberSnapshot<
    GivenOr<Given, MemberInfo<RegisteredChannels, N>>
  >
}
