import type { PresenceRequest, Session, SessionAdapter, TypedSessionAdapter } from './types.js'

/** The prefix of a tenant id that is a user's own tenant (the fallback of {@link withTenant}). */
export const USER_TENANT_PREFIX = 'user:'

/**
 * Adds a `tenantId` to the sessions of another adapter (a Chrome extension: the active
 * organization when there is one, else the user). `resolve` returns the
 * tenant id, or `null`/`undefined`/`''` to fall back to the user's own tenant,
 * `user:<userId>`, so every session leaving this adapter has a tenant and both
 * sides of a lookup agree. The fallback is namespaced so that it never equals
 * an organization id: with sequential ids, user `7` and organization `7` are
 * two tenants (`user:7` and `7`). Data stored under a user's tenant id by an
 * earlier version (the bare user id) must be moved to `user:<userId>`.
 *
 * @param adapter - the adapter whose sessions get a tenant.
 * @param resolve - the tenant of a session (may read the request); `null` means "the user".
 * @returns a session adapter whose sessions have `tenantId`.
 * @example
 * ```ts
 * import { betterAuth, withTenant } from '@presence/server/session'
 *
 * const session = withTenant(betterAuth(auth), (s) => s.session.activeOrganizationId)
 * ```
 */
export function withTenant<S extends Session>(
  adapter: SessionAdapter<S>,
  resolve: (
    session: S,
    request: PresenceRequest,
  ) => string | null | undefined | Promise<string | null | undefined>,
): TypedSessionAdapter<S & { tenantId: string }> {
  return async function withTenantSession(request) {
    const session = await adapter(request)
    if (!session) return null
    const tenant = await resolve(session, request)
    return {
      ...session,
      tenantId:
        typeof tenant === 'string' && tenant !== '' ? tenant : USER_TENANT_PREFIX + session.userId,
    }
  }
}
