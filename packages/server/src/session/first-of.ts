import type { PresenceRequest, Session, SessionAdapter, TypedSessionAdapter } from './types.js'

/** The session type an adapter resolves to. */
export type SessionOf<A> = A extends SessionAdapter<infer S> ? S : never

/**
 * Chains session adapters: the first one that finds a session wins, in the
 * order given (a Chrome extension: the extension's Bearer token, else the web app's
 * cookie). An adapter that throws (its backend failed) stops the chain and
 * the error propagates (answered 503), so a failing backend never turns into
 * a silent fallback to another identity.
 *
 * @param adapters - the adapters to try, in order.
 * @returns a session adapter.
 * @example
 * ```ts
 * import { betterAuth, bearerJwt, firstOf } from '@presence/server/session'
 *
 * const session = firstOf(bearerJwt({ secret: process.env.EXTENSION_JWT_SECRET! }), betterAuth(auth))
 * ```
 */
export function firstOf<A extends Array<SessionAdapter<Session>>>(
  ...adapters: A
): TypedSessionAdapter<SessionOf<A[number]>> {
  type S = SessionOf<A[number]>
  return async function firstOfSession(request: PresenceRequest): Promise<S | null> {
    for (const adapter of adapters) {
      const session = await adapter(request)
      if (session) return session as S
    }
    return null
  }
}
