'use client'
import type { PresenceClient, PresenceClientOptions } from '@presence/client'
import type { ReactNode } from 'react'
import { createPresenceClient } from './client.js'
import { PresenceContext } from './context.js'
import { createElement, useEffect, useRef, useState } from './react.js'

/**
 * Props of {@link PresenceProvider}: a `client`, or the `options` to create one.
 */
export type PresenceProviderProps = {
  children?: ReactNode
} & (
  | {
      /** A client created by the app (`createPresenceClient(...)`), e.g. in a browser-only module. */
      client: PresenceClient | null
      options?: never
    }
  | {
      /**
       * Options for `createPresenceClient`. The client is created in an effect, so only in the
       * browser and never while rendering on the server; it is destroyed when the provider
       * unmounts. Read once: later changes are ignored.
       */
      options: PresenceClientOptions
      client?: never
    }
)

/**
 * Makes a presence client available to the hooks below it.
 *
 * Given `options`, it creates the client after mounting (never on the server, never during
 * render) and destroys it after unmounting; StrictMode's unmount/remount keeps the same
 * client. Until the client exists, and on the server, the hooks return their idle values.
 *
 * @param props - `client`, or `options` to create one, and `children`.
 * @returns the provider element.
 * @example
 * <PresenceProvider
 *   options={{
 *     pusher: { key: process.env.NEXT_PUBLIC_PUSHER_KEY!, cluster: 'eu' },
 *     auth: { endpoint: '/api/pusher/auth', batchEndpoint: '/api/pusher/batch' },
 *   }}
 * >
 *   <App />
 * </PresenceProvider>
 */
export function PresenceProvider({ client, options, children }: PresenceProviderProps) {
  const [created, setCreated] = useState<PresenceClient | null>(null)
  // The created client and its pending destruction, kept across StrictMode's remount.
  const own = useRef<[(PresenceClient | undefined)?, ReturnType<typeof setTimeout>?]>([])
  // `options` is read on mount only (documented on the prop), so it is not a dependency.
  useEffect(() => {
    if (!options) return
    const r = own.current
    clearTimeout(r[1])
    r[0] ??= createPresenceClient(options)
    setCreated(r[0])
    // Deferred so StrictMode's simulated unmount/remount reuses the client instead of
    // opening a second socket.
    return () => {
      r[1] = setTimeout(() => {
        r[0]?.destroy()
        r[0] = undefined
      })
    }
  }, [])
  return createElement(PresenceContext.Provider, { value: client ?? created }, children)
}
