'use client'
import type {
  ChannelName,
  GivenOr,
  Member,
  MemberInfo,
  MemberSnapshot,
  RegisteredChannels,
} from '@presence/client'
import { useMembers } from './useMembers.js'

/** One array per members map: the map is immutable, so its array never goes stale. */
const lists = new WeakMap<ReadonlyMap<string, Member<unknown>>, Member<unknown>[]>()

/** Every empty list is this one: a status change that empties the map re-renders nothing. */
const NONE: Member<unknown>[] = []

const list = (s: MemberSnapshot<unknown>): Member<unknown>[] => {
  if (s.members.size === 0) return NONE
  let members = lists.get(s.members)
  if (!members) {
    members = [...s.members.values()]
    lists.set(s.members, members)
  }
  return members
}

/**
 * The members of a presence channel as an array, ready for `.map()` in JSX, in join order.
 * The array is built once per change of the member list (status changes do not rebuild it or
 * re-render); lookups by id stay O(1) through {@link useMembers}
 * (`(s) => s.members.get(id)`). Reading does not join.
 *
 * @typeParam Given - the shape of `user_info`, when the app declares no channel map.
 * @typeParam N - the channel name (inferred).
 * @param name - the presence channel.
 * @returns the members (`{ id, info }`); empty on the server and while not joined.
 * @example
 * const members = useMemberList('presence-room@42')
 * return <ul>{members.map((m) => <li key={m.id}>{m.info.name}</li>)}</ul>
 */
export function useMemberList<Given = never, N extends ChannelName = ChannelName>(
  name: N,
): readonly Member<GivenOr<Given, MemberInfo<RegisteredChannels, N>>>[] {
  return useMembers(name, list) as readonly Member<
    GivenOr<Given, MemberInfo<RegisteredChannels, N>>
  >[]
}
