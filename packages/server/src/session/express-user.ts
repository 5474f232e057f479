import type { PresenceRequest, Session, TypedSessionAdapter } from './types.js'

/** The session {@link expressUser} returns by default. */
export interface ExpressUserSession<U = unknown> extends Session {
  /** The framework's user object (`req.user`), as the auth middleware left it. */
  user: U
}

function defaultSelect(user: unknown): ExpressUserSession | null {
  if (user === null || typeof user !== 'object') return null
  const id = (user as { id?: unknown }).id
  if (typeof id === 'string' && id !== '') return { userId: id, user }
  if (typeof id === 'number' && Number.isFinite(id)) return { userId: String(id), user }
  return null
}

/**
 * A session adapter for passport-style apps: reads `req.user`, which an
 * earlier middleware set, from the framework request that `toExpress` exposes
 * as `request.raw`. No `raw`, or no user, is "no session".
 *
 * @param select - maps `req.user` to a session, or `null` to refuse it.
 *   @default `user.id` (a non-empty string, or a finite number turned into a string) becomes `userId`
 * @returns a session adapter.
 * @example
 * ```ts
 * import { expressUser } from '@presence/server/session'
 *
 * app.use(passport.session())
 * const presence = createPresenceServer({
 *   signer,
 *   session: expressUser((user: AppUser) => ({ userId: user.id, tenantId: user.orgId })),
 *   channels,
 * })
 * app.post('/pusher/auth', toExpress(presence.handlers.auth))
 * ```
 */
export function expressUser<U = unknown, S extends Session = ExpressUserSession<U>>(
  select?: (user: U) => S | null | Promise<S | null>,
): TypedSessionAdapter<S> {
  const pick = (select ?? defaultSelect) as (user: U) => S | null | Promise<S | null>
  return async function expressUserSession(request: PresenceRequest): Promise<S | null> {
    const raw = request.raw
    if (raw === null || typeof raw !== 'object') return null
    const user = (raw as { user?: U | null }).user
    if (user === undefined || user === null) return null
    return pick(user)
  }
}
