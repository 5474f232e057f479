'use client'
import type { AnyChannels, PresenceClient } from '@presence/client'
import { providerMissing } from './client.js'
import { PresenceContext } from './context.js'
import { useContext } from './react.js'

/**
 * Reads the client of the nearest {@link PresenceProvider}, e.g. to call `setUser` on sign-in.
 *
 * @returns the client, or `null` while it does not exist yet (on the server, and on the first
 *   client render of a provider given `options`).
 * @throws {@link @presence/client!PresenceClientError} `PROVIDER_MISSING` outside a `PresenceProvider`, in
 *   development builds (production builds skip the check, and the hooks stay idle).
 * @example
 * const client = usePresenceClient()
 * useEffect(() => client?.setUser(session ? { id: session.userId } : null), [client, session])
 */
export function usePresenceClient(): PresenceClient | null {
  const client = useContext(PresenceContext)
  if (process.env.NODE_ENV !== 'production' && client === undefined) {
    throw providerMissing()
  }
  // Outside a provider in production: `undefined`, which the hooks treat like `null` (idle).
  return client as PresenceClient | null
}

/**
 * The provider's client as the hooks' implementations see it: any channel name, unknown
 * payloads (the public signatures carry the app's channel map).
 *
 * @returns the client, or `null`.
 * @internal
 */
export const useAnyClient = usePresenceClient as () => PresenceClient<AnyChannels> | null
