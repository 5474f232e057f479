'use client'
import { NOBODY } from './idle.js'
import { usePresenceClient } from './usePresenceClient.js'
import { useStore } from './useStore.js'

/**
 * Whether a user is a member of any presence channel the client has joined ("active now"
 * badges). Re-renders only when that user's answer changes.
 *
 * @param userId - the user id (the `user_id` the server signed).
 * @returns `true` while the user is present; `false` on the server.
 * @example
 * const online = useIsOnline(contact.id)
 * return <Avatar user={contact} badge={online ? 'green' : undefined} />
 */
export function useIsOnline(userId: string): boolean {
  const client = usePresenceClient()
  return useStore(client?.online, NOBODY, (ids) => ids.has(userId))
}
