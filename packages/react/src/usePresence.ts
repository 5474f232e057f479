'use client'
import type { MemberSnapshot } from '@presence/client'
import { type JoinOptions, useJoin } from './useJoin.js'
import { useMembers } from './useMembers.js'
import { identity } from './useStore.js'

/**
 * Joins a presence channel while mounted and enabled, and returns everything about it. It
 * re-renders on every member change; in large channels prefer {@link useMembers} with a
 * selector.
 *
 * @typeParam Info - the shape of `user_info` signed by the server.
 * @param name - the presence channel.
 * @param options - `enabled` (default `true`).
 * @returns `{ members, me, count, status, error }`: `members` maps user ids to `{ id, info }`;
 *   the idle snapshot on the server.
 * @example
 * const { members, me, count, status } = usePresence<{ name: string }>(`presence-chat@${chatId}`)
 * if (status !== 'subscribed') return <Spinner />
 * return <p>{count} here, you are {me?.info.name}</p>
 */
export function usePresence<Info = unknown>(
  name: string,
  options?: JoinOptions,
): MemberSnapshot<Info> {
  useJoin(name, options)
  return useMembers<Info, MemberSnapshot<Info>>(name, identity)
}
