/**
 * Session adapters: who is asking. Each is a `(request) => Session | null`
 * function; compose them with {@link firstOf} and {@link withTenant}.
 * @module
 */
export {
  type AuthJsOptions,
  type AuthJsSession,
  type AuthJsSessionData,
  authJs,
} from './auth-js.js'
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
export type { PresenceRequest, Session, SessionAdapter } from './types.js'
export { withTenant } from './with-tenant.js'
