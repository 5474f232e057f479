/**
 * The Auth.js session adapter (`@auth/core`, NextAuth v5), in its own entry so that only
 * apps that import it need `@auth/core` (an optional peer dependency) installed:
 * `import { authJs } from '@presence/server/session/auth-js'`. next-auth v4 apps
 * (`getServerSession(authOptions)`) use `nextAuth` from `@presence/server/session/next-auth`.
 * @module
 */
import { PresenceError } from '../errors.js'
import type { PresenceRequest, Session, TypedSessionAdapter } from './types.js'

/**
 * The Auth.js config {@link authJs} accepts: the `AuthConfig` you give
 * `NextAuth(config)` or `Auth(request, config)`. Typed structurally so this
 * package's types do not need `@auth/core` installed.
 */
export interface AuthJsConfig {
  /** Where Auth.js is mounted. @default '/auth' (`@auth/core`'s default; any value works for reading sessions) */
  basePath?: string | undefined
  [option: string]: unknown
}

/** What Auth.js's `/session` endpoint answers for a signed-in user (after your `session` callback). */
export interface AuthJsSessionData {
  user?: { id?: string | null; name?: string | null; email?: string | null; image?: string | null }
  expires: string
  [key: string]: unknown
}

/** The session {@link authJs} returns by default: `userId` plus Auth.js's session fields. */
export type AuthJsSession = Session & AuthJsSessionData

/** Options of {@link authJs}. */
export interface AuthJsOptions<S extends Session> {
  /**
   * Maps Auth.js's session to a presence session; return `null` to refuse it.
   * @default `session.user.id` becomes `userId` (a missing id is a configuration error, see {@link authJs})
   */
  toSession?: (session: AuthJsSessionData) => S | null | Promise<S | null>
  /**
   * Auth.js's entry point, injectable for tests and for bundles that ship their own copy.
   * @default `Auth` from `@auth/core`, loaded on first use
   */
  Auth?: (request: Request, config: never) => Promise<Response>
}

const SESSION_HEADERS = ['cookie', 'host', 'x-forwarded-host', 'x-forwarded-proto'] as const

/** next-auth v4's session cookie (plain or `__Secure-`, whole or chunked), which Auth.js cannot read. */
const NEXT_AUTH_V4_COOKIE = /(?:^|;)\s*(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/

/** The refusal for a next-auth v4 cookie: it names the adapter that reads it. */
function nextAuthV4Cookie(): PresenceError {
  return new PresenceError(
    'UNAUTHENTICATED',
    'authJs: the request carries a next-auth v4 session cookie (next-auth.session-token), which ' +
      'Auth.js (@auth/core) cannot decrypt. For a next-auth v4 app (getServerSession(authOptions)) ' +
      "use nextAuth(authOptions) from '@presence/server/session/next-auth' instead of authJs.",
  )
}

function defaultToSession(data: AuthJsSessionData): AuthJsSession {
  const id = data.user?.id
  if (typeof id !== 'string' || id === '') {
    throw new PresenceError(
      'CONFIG_INVALID',
      'authJs: the Auth.js session has no user.id. Copy the id into the session in your Auth.js config: ' +
        'callbacks: { session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub } }) } ' +
        '(JWT sessions) or `user.id` (database sessions), or pass authJs(config, { toSession }).',
    )
  }
  return { ...data, userId: id }
}

/**
 * A session adapter for Auth.js (`@auth/core`, NextAuth v5's `NextAuth(config)`): asks
 * Auth.js itself for the session by running its `/session` action with the caller's
 * cookies, so JWT and database sessions, your `jwt` and `session` callbacks
 * and cookie names (`__Secure-` on https) all behave as in your app. No
 * cookie, or a forged or expired one, is `null` (401); an Auth.js
 * configuration error throws (503). A refreshed session cookie that Auth.js
 * would set is not forwarded: the app's own routes refresh it.
 *
 * Not for next-auth v4 (`getServerSession(authOptions)`, cookie `next-auth.session-token`):
 * Auth.js cannot read its cookies. Use `nextAuth(authOptions)` from
 * `@presence/server/session/next-auth`; a request that carries only a v4 session cookie is
 * refused with `UNAUTHENTICATED` and a message naming `nextAuth` (shown in debug mode).
 *
 * @param config - the Auth.js config (the object you pass to `NextAuth(config)` or
 *   `Auth(request, config)`); a missing `secret` is read from `AUTH_SECRET`, as NextAuth does.
 * @param options - `toSession` mapping.
 * @returns a session adapter resolving to `{ userId, user, expires }`.
 * @example
 * ```ts
 * import { authJs } from '@presence/server/session/auth-js'
 * import { authConfig } from '@/auth.config'
 *
 * const presence = createPresenceServer({ signer, session: authJs(authConfig), channels })
 * export const POST = presence.handlers.auth
 * ```
 */
export function authJs<S extends Session = AuthJsSession>(
  config: AuthJsConfig | object,
  options: AuthJsOptions<S> = {},
): TypedSessionAdapter<S> {
  const toSession = (options.toSession ?? defaultToSession) as (
    data: AuthJsSessionData,
  ) => S | null | Promise<S | null>
  type Ready = {
    auth: NonNullable<AuthJsOptions<S>['Auth']>
    config: AuthJsConfig
    basePath: string
  }
  let ready: Promise<Ready> | undefined
  const cookieOptions = (config as { cookies?: { sessionToken?: { name?: unknown } } }).cookies
  const sessionCookieName = cookieOptions?.sessionToken?.name
  const v4NamedConfig =
    typeof sessionCookieName === 'string' && sessionCookieName.includes('next-auth.session-token')

  // On first use: load Auth.js (unless injected) and, like NextAuth, fill the config from
  // AUTH_SECRET / AUTH_URL when it has none of its own.
  const prepare = async (): Promise<Ready> => {
    const prepared: AuthJsConfig = { ...(config as AuthJsConfig) }
    let auth = options.Auth
    if (!auth) {
      const core = await import('@auth/core').catch((cause: unknown) => {
        throw new PresenceError(
          'CONFIG_INVALID',
          'authJs needs @auth/core (an optional peer dependency): install it, or pass authJs(config, { Auth })',
          { cause },
        )
      })
      auth = core.Auth as unknown as NonNullable<typeof auth>
      const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
        ?.env
      if (env) core.setEnvDefaults(env, prepared as never, true)
    }
    const basePath = prepared.basePath ?? '/auth'
    return { auth, config: { ...prepared, basePath, trustHost: true }, basePath }
  }

  return async function authJsSession(request: PresenceRequest): Promise<S | null> {
    if (!request.headers.get('cookie')) return null
    ready ??= prepare()
    const { auth, config: prepared, basePath } = await ready
    const headers = new Headers()
    for (const name of SESSION_HEADERS) {
      const value = request.headers.get(name)
      if (value !== null) headers.set(name, value)
    }
    // The origin only picks the cookie names (https → `__Secure-`); the path is Auth.js's session action.
    const url = new URL(`${basePath.replace(/\/$/, '')}/session`, request.url)
    // A fresh config object per call: Auth.js writes defaults into the config it is given.
    const response = await auth(new Request(url, { headers }), { ...prepared } as never)
    if (!response.ok) {
      throw new PresenceError(
        'UNAVAILABLE',
        `authJs: Auth.js answered ${response.status} for its session action; check the server logs for Auth.js's configuration error (secret, providers)`,
      )
    }
    const data = (await response.json()) as AuthJsSessionData | null
    if (!data || typeof data !== 'object' || !data.user) {
      // No Auth.js session: say so plainly when the cookie is next-auth v4's, unless the app
      // named its Auth.js session cookie like v4's (a migration setting).
      if (!v4NamedConfig && NEXT_AUTH_V4_COOKIE.test(headers.get('cookie') ?? '')) {
        throw nextAuthV4Cookie()
      }
      return null
    }
    return toSession(data)
  }
}
