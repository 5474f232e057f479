import { forwardHeaders } from './forward-headers.js'
import type { PresenceRequest, Session, TypedSessionAdapter } from './types.js'

/** The part of a better-auth instance {@link betterAuth} uses (`betterAuth({...})`'s return value). */
export interface BetterAuthLike {
  api: { getSession(context: { headers: Headers }): Promise<unknown> }
}

/** better-auth's own session shape: `auth.$Infer.Session` when available. */
export type BetterAuthData<A> = A extends { $Infer: { Session: infer T } }
  ? T
  : { user: { id: string }; session: { id: string; activeOrganizationId?: string | null } }

/** The session {@link betterAuth} returns: `userId`, plus better-auth's `user` and `session`. */
export type BetterAuthSession<A = BetterAuthLike> = Session & BetterAuthData<A>

/**
 * A session adapter for better-auth: resolves the caller with
 * `auth.api.getSession({ headers })` (the session cookie, or whatever
 * better-auth plugins read, e.g. the `bearer` plugin's header). No session,
 * or an invalid or expired cookie, is `null` (401); a failing database
 * throws (503). A refreshed session cookie better-auth would set is not
 * forwarded: the app's own routes refresh it.
 *
 * @param auth - the object `betterAuth({...})` returned.
 * @returns a session adapter resolving to `{ userId, user, session }`.
 * @example
 * ```ts
 * import { betterAuth as betterAuthSession, withTenant } from '@presence/server/session'
 * import { auth } from '@/lib/auth'
 *
 * // a Chrome extension: tenant = active organization, else the user
 * const session = withTenant(betterAuthSession(auth), (s) => s.session.activeOrganizationId)
 * ```
 */
export function betterAuth<A extends BetterAuthLike>(
  auth: A,
): TypedSessionAdapter<BetterAuthSession<A>> {
  return async function betterAuthSession(request: PresenceRequest) {
    const data = (await auth.api.getSession({ headers: forwardHeaders(request) })) as {
      user?: { id?: unknown }
      session?: unknown
    } | null
    const userId = data?.user?.id
    if (!data || typeof userId !== 'string' || userId === '') return null
    return { ...data, userId } as BetterAuthSession<A>
  }
}
