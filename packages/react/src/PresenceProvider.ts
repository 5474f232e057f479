'use client'
import type { PresenceClient, PresenceClientOptions, PresenceUser } from '@presence/client'
import type { ReactElement, ReactNode } from 'react'
import { createPresenceClient } from './client.js'
import { PresenceContext } from './context.js'
import { createElement, useEffect, useLayoutEffect, useRef, useState } from './react.js'

/**
 * Props of {@link PresenceProvider}: a `client`, or the `options` to create one, and the
 * signed-in `user`.
 */
export type PresenceProviderProps = {
  children?: ReactNode
  /**
   * Who is signed in: the one switch for presence channels.
   *
   * - a user (`{ id }`): signed in; presence channels join (and rejoin when the id changes).
   * - `null`: signed out, or the session is still loading; presence channels wait, and are
   *   left on sign-out (their member lists empty).
   * - `undefined` (the prop omitted): the provider leaves the user alone; presence channels
   *   follow the client's own `user` option and `setUser` calls (with neither, they are not
   *   gated and the server's session alone decides).
   *
   * Write `user={session ? { id: session.user.id } : null}`: a loading session then counts as
   * signed out.
   * @default undefined
   */
  user?: PresenceUser | null | undefined
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
 * Makes a presence client available to the hooks below it, and tells it who is signed in.
 *
 * Given `options`, it creates the client after mounting (never on the server, never during
 * render) and destroys it after unmounting; StrictMode's unmount/remount keeps the same
 * client. Until the client exists, and on the server, the hooks return their idle values.
 *
 * The `user` prop drives presence channels: they join while it is a user and wait while it is
 * `null`, so no effect calling `setUser` and no `enabled` flag are needed.
 *
 * @param props - `client`, or `options` to create one, `user` and `children`.
 * @returns the provider element.
 * @example
 * <PresenceProvider
 *   options={{
 *     pusher: { key: process.env.NEXT_PUBLIC_PUSHER_KEY!, cluster: 'eu' },
 *     auth: { endpoint: '/api/pusher' },
 *   }}
 *   user={session ? { id: session.user.id } : null}
 * >
 *   <App />
 * </PresenceProvider>
 */
export function PresenceProvider({
  client,
  options,
  user,
  children,
}: PresenceProviderProps): ReactElement {
  const [created, setCreated] = useState<PresenceClient | null>(null)
  // The created client and its pending destruction, kept across StrictMode's remount.
  const own = useRef<[(PresenceClient | undefined)?, ReturnType<typeof setTimeout>?]>([])
  // `options` is read on mount only (documented on the prop), so it is not a dependency.
  useEffect(() => {
    if (!options) return
    const r = own.current
    clearTimeout(r[1])
    r[0] ??= createPresenceClient(user === undefined ? options : { ...options, user })
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
  const value = client ?? created
  // Keyed by id: a new user object with the same id every render changes nothing.
  const userKey = user === undefined ? undefined : (user?.id ?? null)
  // A layout effect runs before every passive effect of the tree, so the hooks below (which
  // join in passive effects) never join a presence channel for a user the provider has
  // already signed out. Neither runs on the server (React 18 warns about layout effects there).
  const useBeforeChildren = typeof document === 'undefined' ? useEffect : useLayoutEffect
  // `userKey` stands for `user` in the dependencies.
  useBeforeChildren(() => {
    if (value && user !== undefined) value.setUser(user)
  }, [value, userKey])
  return createElement(PresenceContext.Provider, { value }, children)
}
