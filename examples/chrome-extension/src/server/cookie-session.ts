import { createHmac, timingSafeEqual } from 'node:crypto'
import type { PresenceRequest } from '@presence/server/session'
import type { IdentifiedSession } from './app-session.js'
import type { ExampleDatabase } from './db.js'

/** The name of the web app's session cookie. */
export const SESSION_COOKIE = 'presence_sid'

function sign(token: string, secret: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url')
}

/**
 * The cookie value for a session token: `<token>.<HMAC-SHA256(token)>`, so a forged or
 * truncated cookie is refused before the database is asked.
 */
export function signSessionCookie(token: string, secret: string): string {
  return `${token}.${sign(token, secret)}`
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index === -1) continue
    if (part.slice(0, index).trim() === name)
      return decodeURIComponent(part.slice(index + 1).trim())
  }
  return null
}

/**
 * The web app's session adapter: a signed `presence_sid` cookie looked up in SQLite's
 * `auth_sessions` table. It is the second link of `firstOf(bearerJwt(...), cookieSession(...))`.
 *
 * @param db - the example database
 * @param secret - the HMAC secret the cookie was signed with
 * @returns a session adapter (`request → session | null`)
 */
export function cookieSession(db: ExampleDatabase, secret: string) {
  return (request: PresenceRequest): IdentifiedSession | null => {
    const value = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
    if (!value) return null
    const dot = value.lastIndexOf('.')
    if (dot <= 0) return null
    const token = value.slice(0, dot)
    const given = Buffer.from(value.slice(dot + 1))
    const expected = Buffer.from(sign(token, secret))
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
    const session = db.findAuthSession(token)
    if (!session) return null
    return {
      userId: session.userId,
      activeOrganizationId: session.activeOrganizationId,
      via: 'cookie',
    }
  }
}
