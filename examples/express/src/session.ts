import type { PresenceRequest, Session, SessionAdapter } from '@presence/server/session'
import type { Store } from './store/store.js'

/** The request surface the token lookup reads (a Fetch `Request` has it). */
export type HeaderSource = Pick<PresenceRequest, 'headers'>

/**
 * The login token of a request: `Authorization: Bearer <token>`, else the `sid` cookie.
 *
 * @param request - anything with Fetch-style `headers.get`
 * @returns the token, or `null` when the request carries none
 */
export function loginToken(request: HeaderSource): string | null {
  const authorization = request.headers.get('authorization')
  if (authorization?.toLowerCase().startsWith('bearer ')) {
    const token = authorization.slice(7).trim()
    if (token) return token
  }
  const cookie = request.headers.get('cookie')
  if (!cookie) return null
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === 'sid' && value.length > 0) return decodeURIComponent(value.join('='))
  }
  return null
}

/**
 * The app's session: the signed-in user and the client the login was made on. `clientId`
 * comes from the `auth_sessions` row, never from the request, so it is what
 * `presence-client@{clientId}` trusts.
 */
export interface AppSession extends Session {
  /** The client (app install, browser) the login token was issued to, `null` for none. */
  clientId: string | null
}

declare module '@presence/server' {
  interface Register {
    session: AppSession
  }
}

/**
 * A session adapter over the `auth_sessions` table: the token names a row,
 * an unknown or expired token is no session (anonymous), never an error.
 *
 * @param store - the SQLite store
 * @returns `(request) => { userId, clientId } | null`
 * @example
 * const server = createPresenceServer({ session: sqliteSession(store), ... })
 */
export function sqliteSession(store: Store): SessionAdapter<AppSession> {
  return (request) => {
    const token = loginToken(request)
    if (!token) return null
    const session = store.sessionForToken(token)
    return session ? { userId: session.userId, clientId: session.clientId } : null
  }
}
