/**
 * Session adapters: who is asking. Each is a `(request) => Session | null`
 * function; compose them with {@link firstOf} and {@link withTenant}.
 *
 * This entry needs no optional peer dependency: `betterAuth` takes your
 * better-auth instance, `bearerJwt` uses `jose` (a dependency of this
 * package). The Auth.js adapter, which loads `@auth/core`, has its own
 * entry: `@presence/server/session/auth-js`; so does the next-auth v4
 * adapter, which loads `next-auth`: `@presence/server/session/next-auth`.
 * @module
 */
export {
  type BearerJwtJwksOptions,
  type BearerJwtKey,
  type BearerJwtKeyOptions,
  type BearerJwtOptions,
  type BearerJwtSecretOptions,
  bearerJwt,
  type JwtSession,
} from './bearer-jwt.js'
export { bearerToken } from './bearer-token.js'
export {
  type BetterAuthData,
  type BetterAuthLike,
  type BetterAuthSession,
  betterAuth,
} from './better-auth.js'
export { type ExpressUserSession, expressUser } from './express-user.js'
export { firstOf } from './first-of.js'
export type { PresenceRequest, Session, SessionAdapter, TypedSessionAdapter } from './types.js'
export { withTenant } from './with-tenant.js'
