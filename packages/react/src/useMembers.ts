'use client'
import type { MemberSnapshot } from '@presence/client'
import { IDLE_SNAPSHOT } from './idle.js'
import { usePresenceClient } from './usePresenceClient.js'
import { useStore } from './useStore.js'

/**
 * Reads a selection of a channel's members and status, re-rendering only when the selection
 * changes: when a member joins a 1,000-member channel, a component selecting `s.count`
 * renders once and a component selecting another member does not render at all. Reading does
 * not join the channel: pair it with {@link useChannel}, {@link useActiveChannel} or
 * {@link usePresence} somewhere in the tree.
 *
 * @param name - the channel name.
 * @param selector - picks what the component needs from the {@link MemberSnapshot}; it may be
 *   an inline function.
 * @param isEqual - whether a new selection equals the previous one; use {@link shallow} when
 *   the selector builds an array or object.
 * @default isEqual `Object.is`
 * @returns the selection; on the server, the selection of the idle snapshot.
 * @example
 * const count = useMembers('presence-messenger', (s) => s.count)
 * const ada = useMembers('presence-messenger', (s) => s.members.get('ada'))
 * const names = useMembers<User, string[]>(
 *   'presence-messenger',
 *   (s) => [...s.members.values()].map((m) => m.info.name),
 *   shallow,
 * )
 */
export function useMembers<Info = unknown, T = unknown>(
  name: string,
  selector: (snapshot: MemberSnapshot<Info>) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const client = usePresenceClient()
  return useStore(client?.members<Info>(name), IDLE_SNAPSHOT, selector, isEqual)
}
