'use client'
import type {
  ChannelName,
  MemberInfo,
  MemberSnapshot,
  RegisteredChannels,
  Store,
} from '@presence/client'
import { IDLE_SNAPSHOT } from './idle.js'
import { useAnyClient } from './usePresenceClient.js'
import { useStore } from './useStore.js'

/**
 * Reads a selection of a channel's members and status, re-rendering only when the selection
 * changes: when a member joins a 1,000-member channel, a component selecting `s.count`
 * renders once and a component selecting another member does not render at all. Reading does
 * not join the channel: pair it with {@link useChannel}, {@link useActiveChannel} or
 * {@link usePresence} somewhere in the tree.
 *
 * The result type is inferred from the selector. Member `info` is typed by the app's channel
 * map (`Register`); without one, annotate the selector's parameter
 * (`(s: MemberSnapshot<User>) => …`).
 *
 * @typeParam N - the channel name (inferred).
 * @typeParam T - the selection (inferred from `selector`).
 * @typeParam Info - the member info (from the channel map, or the selector's annotation).
 * @param name - the channel name.
 * @param selector - picks what the component needs from the {@link @presence/client!MemberSnapshot}; it may be
 *   an inline function.
 * @param isEqual - whether a new selection equals the previous one; use {@link shallow} when
 *   the selector builds an array or object.
 * @default isEqual `Object.is`
 * @returns the selection; on the server, the selection of the idle snapshot.
 * @example
 * const count = useMembers('presence-messenger', (s) => s.count)
 * const ada = useMembers('presence-messenger', (s) => s.members.get('ada'))
 * const names = useMembers(
 *   'presence-room@42',
 *   (s) => [...s.members.values()].map((m) => m.info.name),
 *   shallow,
 * )
 */
export function useMembers<
  N extends ChannelName,
  T,
  Info extends MemberInfo<RegisteredChannels, N> = MemberInfo<RegisteredChannels, N>,
>(name: N, selector: (snapshot: MemberSnapshot<Info>) => T, isEqual?: (a: T, b: T) => boolean): T {
  const client = useAnyClient()
  // `Info` is the map's member info or the caller's annotation of it: the same runtime store.
  const store = client?.members(name) as Store<MemberSnapshot<Info>> | undefined
  return useStore(store, IDLE_SNAPSHOT, selector, isEqual)
}
