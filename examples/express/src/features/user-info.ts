import type { Store } from '../store/store.js'

/** The `user_info` a presence channel shows for a member. */
export interface MemberInfo {
  name: string
  avatar: string
  level: number
  /** What the member is on this channel: `'host'` for a stream's streamer, else `'member'`, etc. */
  role: string
}

/**
 * Builds the batch service's presence member data (`{ user_id, user_info }`) from the `users` table.
 *
 * @param store - the SQLite store
 * @param userId - the signed-in user
 * @param role - the member's role on this channel
 * @returns the presence data, or `null` when the user row is gone
 */
export function presenceMember(
  store: Store,
  userId: string,
  role = 'member',
): { user_id: string; user_info: MemberInfo } | null {
  const user = store.user(userId)
  if (!user) return null
  return {
    user_id: user.id,
    user_info: { name: user.name, avatar: user.avatar_url, level: user.level, role },
  }
}
