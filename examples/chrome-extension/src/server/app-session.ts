import {
  betterAuth,
  firstOf,
  type PresenceRequest,
  type Session,
  type SessionAdapter,
  withTenant,
} from '@presence/server/session'
import type { Auth } from './auth.js'
import type { ExampleDatabase } from './db.js'

/** Who is asking, before tenant resolution: what better-auth found behind the token or the cookie. */
export interface IdentifiedSession extends Session {
  userId: string
  /** The organization the better-auth session names as active (organization plugin), if any. */
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
 * The request as better-auth should see it: only the named headers of the original request,
 * so each link of the chain reads one credential and nothing else.
 */
function withHeaders(request: PresenceRequest, names: readonly string[]): PresenceRequest {
  return {
    method: request.method,
    url: request.url,
    headers: {
      get: (name) => (names.includes(name.toLowerCase()) ? request.headers.get(name) : null),
    },
  }
}

/** The `Authorization: Bearer` scheme, case-insensitive as in HTTP. */
const BEARER = /^bearer\s+\S/i

/**
 * The original app's `getSessionForPusherAuth`, on better-auth and `@presence/server/session`:
 *
 * - the Bearer reader: `auth.api.getSession` with the `Authorization` header alone (better-auth's
 *   `bearer` plugin turns the extension's token into its session);
 * - else the web app's cookie: `auth.api.getSession` with the `Cookie` header alone;
 * - then `withTenant(...)`: the active organization when the user is still a member of it,
 *   else the user.
 *
 * The auth route, the polling route and session creation all use this one adapter, so a session
 * is always stored under the tenant it will be looked up with (checklist 3). A token that is
 * present but invalid is no session from the Bearer reader, and the cookie is tried next.
 *
 * @param auth - the backend's better-auth instance
 * @param db - the work-session store (for the membership check)
 * @returns a session adapter resolving to an {@link AppSession}
 */
export function appSession(auth: Auth, db: ExampleDatabase): SessionAdapter<AppSession> {
  const session = betterAuth(auth)
  const identify = (found: Awaited<ReturnType<typeof session>>, via: IdentifiedSession['via']) =>
    found
      ? {
          userId: found.userId,
          activeOrganizationId: found.session.activeOrganizationId ?? null,
          via,
        }
      : null
  const bearerReader = async (request: PresenceRequest): Promise<IdentifiedSession | null> => {
    if (!BEARER.test(request.headers.get('authorization') ?? '')) return null
    return identify(await session(withHeaders(request, ['authorization'])), 'bearer')
  }
  const cookie = async (request: PresenceRequest): Promise<IdentifiedSession | null> => {
    if (!request.headers.get('cookie')) return null
    return identify(await session(withHeaders(request, ['cookie'])), 'cookie')
  }
  const tenantOf = (found: IdentifiedSession): string | null => {
    const organizationId = found.activeOrganizationId
    return organizationId && db.isMember(found.userId, organizationId) ? organizationId : null
  }
  return withTenant(firstOf(bearerReader, cookie), tenantOf)
}
