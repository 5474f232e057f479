'use client'
import type {
  ChannelName,
  Member,
  MemberInfo,
  MemberSnapshot,
  MemberState,
  RegisteredChannels,
} from '@presence/client'
import { shallow } from './shallow.js'
import { useMembers } from './useMembers.js'

/** The members other than the current user, computed once per snapshot. */
const othersOf: (snapshot: MemberSnapshot) => readonly Member[] = (() => {
  const computed = new WeakMap<MemberSnapshot, readonly Member[]>()
  return (snapshot) => {
    let others = computed.get(snapshot)
    if (!others) {
      const myId = snapshot.me?.id
      others = [...snapshot.members.values()].filter((member) => member.id !== myId)
      computed.set(snapshot, others)
    }
    return others
  }
})()

/**
 * Reads the other members of a presence channel (everyone but the current user), or a
 * selection of them, re-rendering only when the selection changes. Without a selector the
 * array is compared member by member, so a component re-renders only when someone joins,
 * leaves or changes `info` or `state`. Reading does not join the channel.
 *
 * @typeParam N - the channel name (inferred).
 * @typeParam T - the selection (inferred from `selector`).
 * @param name - the presence channel.
 * @param selector - picks what the component needs from the others; it may be an inline function.
 * @param isEqual - whether a new selection equals the previous one; use `shallow` when the
 *   selector builds an array or object.
 * @default selector the others themselves; isEqual `Object.is` with a selector, `shallow` without
 * @returns the selection; on the server, the selection of no one.
 * @example
 * const typing = useOthers(
 *   'presence-room@42',
 *   (others) => others.filter((m) => m.state.typing).map((m) => m.info.name),
 *   shallow,
 * )
 */
export function useOthers<
  N extends ChannelName,
  T = readonly Member<MemberInfo<RegisteredChannels, N>, MemberState<RegisteredChannels, N>>[],
>(
  name: N,
  selector?: (
    others: readonly Member<
      MemberInfo<RegisteredChannels, N>,
      MemberState<RegisteredChannels, N>
    >[],
  ) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const select = selector as ((others: readonly Member[]) => T) | undefined
  return useMembers(
    name,
    (snapshot: MemberSnapshot) =>
      select ? select(othersOf(snapshot)) : (othersOf(snapshot) as unknown as T),
    isEqual ?? (select ? Object.is : (shallow as (a: T, b: T) => boolean)),
  )
}
