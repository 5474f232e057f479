'use client'
import { NOBODY } from './idle.js'
import { usePresenceClient } from './usePresenceClient.js'
import { useStore } from './useStore.js'

/**
 * Whether a user is a member of any presence channel the client has joined ("active now"
 * badges). Re-renders only when that user's answer changes.
 *
 * @param userId - the user id (the `user_id` the server signed). `null` or `undefined` (a
 *   nullable column such as an ORM's `email`, a user not loaded yet) reads `false`.
 * @returns `true` while the user is present; `false` on the server and for a missing id.
 * @example
 * const online = useIsOnline(contact.email) // string | null
 * return <Avatar user={contact} badge={online ? 'green' : undefined} />
 */
export function useIsOnline(userId: string | null | undefined): boolean {
  const client = usePresenceClient()
  return useStore(client?.online, NOBODY, (ids) =>
    typeof userId === 'string' ? ids.has(userId) : false,
  )
}
