'use client'
import type { ChannelName, MemberSnapshot } from '@presence/client'
import { shallow } from './shallow.js'
import { useMembers } from './useMembers.js'

const ids = (s: MemberSnapshot): string[] => [...s.members.keys()]

/**
 * The ids of the members of a presence channel (a messenger's `useActiveList`). Re-renders
 * only when the set of ids changes. Reading does not join: {@link useActiveChannel} does.
 *
 * @param name - the presence channel.
 * @returns the member ids, a new array only when the set of ids changes; empty on the server
 *   and while not joined.
 * @example
 * const members = useActiveList('presence-messenger')
 * const isActive = members.includes(user.id)
 */
export function useActiveList(name: ChannelName): string[] {
  return useMembers(name, ids, shallow)
}
