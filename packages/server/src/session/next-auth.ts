/**
 * The NextAuth (next-auth v4) session adapter, in its own entry so that only apps that import
 * it need `next-auth` (an optional peer dependency) installed:
 * `import { nextAuth } from '@presence/server/session/next-auth'`.
 * @module
 */
import type { AuthOptions, Session as NextAuthSessionData } from 'next-auth'
import { PresenceError } from '../errors.js'
import { parseCookieHeader } from './cookie-header.js'
import type { PresenceRequest, Session, TypedSessionAdapter } from './types.js'

export type { NextAuthSessionData }

/**
 * The session {@link nextAuth} returns by default: `userId` plus what `getServerSession`
 * answers (after your `session` callback).
 */
export type NextAuthSession = Session & NextAuthSessionData

/** Maps next-auth's session to a presence session; `null` refuses it (401). */
export type NextAuthToSession<S extends Session> = (
  session: NextAuthSessionData,
) => S | null | Promise<S | null>

/** next-auth's `getServerSession(req, res, authOptions)`, the form API routes use. */
type GetServerSession = (
  req: { headers: Record<string, string>; cookies: Record<string, string> },
  res: { getHeader(name: string): undefined; setHeader(): void; setCookie(): void },
  options: AuthOptions,
) => Promise<NextAuthSessionData | null>

/** The headers next-auth reads to pick the origin, and so the cookie names (`__Secure-` on https). */
const SESSION_HEADERS = ['cookie', 'host', 'x-forwarded-host', 'x-forwarded-proto'] as const

/** next-auth v4's default session cookie, plain or `__Secure-`, whole or in chunks (`.0`, `.1`…). */
const DEFAULT_SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token(?:\.\d+)?$/

/** A response that discards what next-auth would set: the app's own routes refresh cookies. */
const DISCARDING_RESPONSE = {
  getHeader: (_name: string) => undefined,
  setHeader: () => {},
  setCookie: () => {},
}

function defaultToSession(data: NextAuthSessionData): NextAuthSession {
  const user = (data.user ?? {}) as { id?: unknown; email?: unknown }
  const id =
    typeof user.id === 'string' && user.id !== ''
      ? user.id
      : typeof user.email === 'string' && user.email !== ''
        ? user.email
        : null
  if (id === null) {
    throw new PresenceError(
      'CONFIG_INVALID',
      'nextAuth: the next-auth session has neither user.id nor user.email. Copy an id into the ' +
        'session in your authOptions: callbacks: { session: ({ session, token }) => ({ ...session, ' +
        'user: { ...session.user, id: token.sub } }) } (JWT sessions) or `user.id` (database ' +
        'sessions), or pass nextAuth(authOptions, (session) => ({ userId: … })).',
    )
  }
  return { ...data, userId: id }
}

/**
 * A session adapter for next-auth v4 apps (the apps that call
 * `getServerSession(authOptions)`, e.g. a Next.js messenger): give it the same `authOptions`
 * and it asks next-auth's own `getServerSession` for the session, with the caller's cookies.
 * So JWT sessions (your `jwt.decode` if you set one) and database sessions (your
 * `authOptions.adapter`), your `jwt` and `session` callbacks, and the cookie names
 * (`__Secure-` when `NEXTAUTH_URL` is https or `useSecureCookies` is set; chunked cookies
 * `.0`, `.1`…) all behave exactly as in your app.
 *
 * No cookie, or a forged, expired or garbage one, is `null` (401), never an error; next-auth
 * logs the rejected token through your `logger` as it does for `getServerSession`. A
 * configuration next-auth refuses (no `secret` and no `NEXTAUTH_SECRET` in production)
 * throws (503). A refreshed cookie next-auth would set is not forwarded: your app's own
 * routes refresh it.
 *
 * The default `userId` is `session.user.id` when your `session` callback adds one, else
 * `session.user.email` (next-auth's default session carries no id); a session with neither is
 * a configuration error. Pass `toSession` to choose.
 *
 * @param authOptions - the options you pass to `NextAuth(authOptions)` and
 *   `getServerSession(authOptions)`; a missing `secret` is read from `NEXTAUTH_SECRET`, as
 *   next-auth does.
 * @param toSession - maps next-auth's session (after your `session` callback) to a presence
 *   session, typing `ctx.user`; return `null` to refuse.
 * @returns a session adapter resolving to `{ userId, user, expires }` by default.
 * @example
 * ```ts
 * import { nextAuth } from '@presence/server/session/next-auth'
 * import { authOptions } from '@/lib/auth'
 *
 * const presence = createPresenceServer({ signer, session: nextAuth(authOptions), channels })
 * export const POST = presence.handlers.auth
 * ```
 */
export function nextAuth<S extends Session = NextAuthSession>(
  authOptions: AuthOptions,
  toSession?: NextAuthToSession<S>,
): TypedSessionAdapter<S> {
  const mapSession = (toSession ?? defaultToSession) as NextAuthToSession<S>
  const customName = authOptions.cookies?.sessionToken?.name
  const isSessionCookie = (name: string) =>
    customName ? name.startsWith(customName) : DEFAULT_SESSION_COOKIE.test(name)
  let loaded: Promise<GetServerSession> | undefined

  const load = async (): Promise<GetServerSession> => {
    const mod = (await import('next-auth/next').catch((cause: unknown) => {
      throw new PresenceError(
        'CONFIG_INVALID',
        'nextAuth needs next-auth v4 (an optional peer dependency): install next-auth@4',
        { cause },
      )
    })) as { getServerSession?: unknown; default?: { getServerSession?: unknown } }
    const getServerSession = mod.getServerSession ?? mod.default?.getServerSession
    if (typeof getServerSession !== 'function') {
      throw new PresenceError(
        'CONFIG_INVALID',
        'nextAuth: next-auth/next has no getServerSession; nextAuth reads next-auth v4 sessions (for Auth.js v5, use authJs from @presence/server/session/auth-js)',
      )
    }
    return getServerSession as GetServerSession
  }

  return async function nextAuthSession(request: PresenceRequest): Promise<S | null> {
    const header = request.headers.get('cookie')
    if (!header) return null
    const cookies = parseCookieHeader(header)
    if (!Object.keys(cookies).some(isSessionCookie)) return null
    loaded ??= load()
    const getServerSession = await loaded
    const headers: Record<string, string> = {}
    for (const name of SESSION_HEADERS) {
      const value = request.headers.get(name)
      if (value !== null) headers[name] = value
    }
    let data: NextAuthSessionData | null
    try {
      data = await getServerSession({ headers, cookies }, DISCARDING_RESPONSE, authOptions)
    } catch (cause) {
      // getServerSession throws only when next-auth refuses its configuration (it answers
      // token and adapter failures with an empty session).
      throw new PresenceError(
        'UNAVAILABLE',
        `nextAuth: next-auth refused its configuration (${cause instanceof Error ? cause.message : String(cause)}); check the server logs, e.g. NEXTAUTH_SECRET in production`,
        { cause },
      )
    }
    if (!data || typeof data !== 'object' || !data.user) return null
    return mapSession(data)
  }
}
