import {
  bearerJwt,
  firstOf,
  type Session,
  type SessionAdapter,
  withTenant,
} from '@presence/server/session'
import { cookieSession } from './cookie-session.js'
import type { ExampleDatabase } from './db.js'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens.js'

/** Who is asking, before tenant resolution: what the Bearer token or the cookie says. */
export interface IdentifiedSession extends Session {
  userId: string
  /** The organization the token (`org` claim) or the cookie session names as active. */
  activeOrganizationId: string | null
  /** Which link of the chain found the session. */
  via: 'bearer' | 'cookie'
}

/** Who is asking, as the example's routes see it. */
export interface AppSession extends IdentifiedSession {
  /** The original app's tenant: the active organization id, or the user id. */
  tenantId: string
}

/**
 * The original app's `getSessionForPusherAuth`, built from `@presence/server/session`:
 * `firstOf(bearerJwt(...), cookie)` (the extension's Bearer token first, else the web app's
 * cookie), then `withTenant(...)` (the active organization when the user belongs to it, else
 * the user). The auth route, the polling route and session creation all use this one adapter,
 * so a session is always stored under the tenant it will be looked up with (checklist 3).
 *
 * @param db - the example database
 * @param secrets - the JWT secret of access tokens and the cookie signing secret
 * @returns a session adapter resolving to an {@link AppSession}
 */
export function appSession(db: ExampleDatabase, secrets: { jwt: Uint8Array; cookie: string }) {
  const bearer = bearerJwt<IdentifiedSession>({
    secret: secrets.jwt,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    toSession: (claims) => {
      // A token for a user this database does not know is no session (401), not a 403 later.
      if (typeof claims.sub !== 'string' || !db.userExists(claims.sub)) return null
      return {
        userId: claims.sub,
        activeOrganizationId: typeof claims.org === 'string' ? claims.org : null,
        via: 'bearer',
      }
    },
  })
  const tenantOf = (session: IdentifiedSession): string | null => {
    const organizationId = session.activeOrganizationId
    return organizationId && db.isMember(session.userId, organizationId) ? organizationId : null
  }
  const adapter: SessionAdapter<AppSession> = withTenant(
    firstOf(bearer, cookieSession(db, secrets.cookie)),
    tenantOf,
  )
  return adapter
}
