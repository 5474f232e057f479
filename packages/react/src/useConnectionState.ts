'use client'
import type { ConnectionState } from '@presence/client'
import { usePresenceClient } from './usePresenceClient.js'
import { identity, useStore } from './useStore.js'

/**
 * pusher-js's connection state: `initialized`, `connecting`, `connected`, `unavailable`,
 * `failed` or `disconnected`.
 *
 * @returns the state; `initialized` on the server and before the client exists.
 * @example
 * const state = useConnectionState()
 * if (state === 'unavailable') return <Banner>Reconnecting…</Banner>
 */
export function useConnectionState(): ConnectionState {
  const client = usePresenceClient()
  return useStore<ConnectionState, ConnectionState>(client?.connection, 'initialized', identity)
}
