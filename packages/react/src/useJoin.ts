'use client'
import { useEffect } from './react.js'
import { useAnyClient } from './usePresenceClient.js'

/**
 * Options of the hooks that join a channel.
 */
export interface JoinOptions {
  /**
   * Whether to hold the channel. Turning it off releases it: the last holder leaves the channel
   * (after the client's grace period) and its member list empties. Typically `!!session?.user`.
   * @default true
   */
  enabled?: boolean | undefined
}

/**
 * Holds a reference on a channel while mounted and enabled. The client counts references, so
 * StrictMode's mount/unmount/mount and several components on one channel share one
 * subscription and one auth request.
 *
 * @param name - the channel name.
 * @param options - {@link JoinOptions}.
 * @internal
 */
export function useJoin(name: string, { enabled = true }: JoinOptions = {}): void {
  const client = useAnyClient()
  useEffect(() => {
    if (client && enabled) {
      const handle = client.subscribe(name)
      return () => handle.release()
    }
  }, [client, name, enabled])
}
