import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import { PresenceError } from '../errors.js'
import { bearerToken } from './bearer-token.js'
import type { PresenceRequest, Session, TypedSessionAdapter } from './types.js'

/** A verification key jose accepts: a `CryptoKey`, a Node `KeyObject`, or raw bytes. */
export type BearerJwtKey = CryptoKey | Uint8Array | { type: string; asymmetricKeyType?: string }

/** The session {@link bearerJwt} returns by default. */
export interface JwtSession extends Session {
  /** The verified claims of the token. */
  claims: JWTPayload
}

/** Options shared by every key source of {@link bearerJwt}. */
interface BearerJwtCommon<S extends Session> {
  /** Expected `iss` claim (one value or any of several). @default undefined (not checked) */
  issuer?: string | string[]
  /** Expected `aud` claim (one value or any of several). @default undefined (not checked) */
  audience?: string | string[]
  /**
   * Tolerated clock skew for `exp` and `nbf`, in seconds.
   * @default 0
   */
  clockToleranceSec?: number
  /**
   * Maps the verified claims to a session; return `null` to refuse the token.
   * @default `sub` becomes `userId` (a token without a string `sub` is refused), claims kept in `claims`
   */
  toSession?: (claims: JWTPayload) => S | null | Promise<S | null>
}

/** {@link bearerJwt} with a shared secret (HS256/384/512). */
export interface BearerJwtSecretOptions<S extends Session> extends BearerJwtCommon<S> {
  /** The HMAC secret the tokens are signed with (a string is UTF-8 encoded). */
  secret: string | Uint8Array
  /** @default ['HS256', 'HS384', 'HS512'] */
  algorithms?: string[]
}

/** {@link bearerJwt} with one public key (or any key jose accepts). */
export interface BearerJwtKeyOptions<S extends Session> extends BearerJwtCommon<S> {
  /** The verification key, e.g. from jose's `importSPKI` or `importJWK`. */
  key: BearerJwtKey
  /** Accepted `alg` values; required with a single key so no other algorithm is tried. */
  algorithms: string[]
}

/** {@link bearerJwt} with a JSON Web Key Set. */
export interface BearerJwtJwksOptions<S extends Session> extends BearerJwtCommon<S> {
  /**
   * The key set: a URL to fetch it from (cached and refreshed by jose), the set
   * itself (`{ keys: [...] }`), or a jose key resolver.
   */
  jwks: URL | string | JSONWebKeySet | JWTVerifyGetKey
  /** Accepted `alg` values. @default every asymmetric algorithm jose supports for the set's keys */
  algorithms?: string[]
}

/** Options of {@link bearerJwt}: exactly one of `secret`, `key` or `jwks`. */
export type BearerJwtOptions<S extends Session = JwtSession> =
  | BearerJwtSecretOptions<S>
  | BearerJwtKeyOptions<S>
  | BearerJwtJwksOptions<S>

/** jose failures that come from the token (caller's fault): answered as "no session". */
const TOKEN_FAULTS = new Set<string>([
  errors.JWTExpired.code,
  errors.JWTClaimValidationFailed.code,
  errors.JWTInvalid.code,
  errors.JWSInvalid.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWKInvalid.code,
])

function resolveKey<S extends Session>(
  options: BearerJwtOptions<S>,
): { key: Uint8Array | BearerJwtKey | JWTVerifyGetKey; algorithms: string[] | undefined } {
  if ('secret' in options) {
    const secret =
      typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret
    if (!(secret instanceof Uint8Array) || secret.byteLength === 0) {
      throw new PresenceError(
        'CONFIG_INVALID',
        'bearerJwt({ secret }): the secret is empty; pass the HMAC secret your tokens are signed with',
      )
    }
    return { key: secret, algorithms: options.algorithms ?? ['HS256', 'HS384', 'HS512'] }
  }
  if ('key' in options) {
    if (!options.algorithms?.length) {
      throw new PresenceError(
        'CONFIG_INVALID',
        "bearerJwt({ key }): also pass `algorithms` (e.g. ['RS256']) so no other algorithm is accepted",
      )
    }
    return { key: options.key, algorithms: options.algorithms }
  }
  if ('jwks' in options) {
    const { jwks } = options
    if (typeof jwks === 'function') return { key: jwks, algorithms: options.algorithms }
    if (typeof jwks === 'string' || jwks instanceof URL) {
      return { key: createRemoteJWKSet(new URL(jwks)), algorithms: options.algorithms }
    }
    return { key: createLocalJWKSet(jwks), algorithms: options.algorithms }
  }
  throw new PresenceError(
    'CONFIG_INVALID',
    'bearerJwt(options): pass one of `secret` (HMAC), `key` (with `algorithms`) or `jwks`',
  )
}

function defaultToSession(claims: JWTPayload): JwtSession | null {
  return typeof claims.sub === 'string' && claims.sub !== '' ? { userId: claims.sub, claims } : null
}

/**
 * A session adapter for `Authorization: Bearer <jwt>` (a Chrome
 * extension), verified with jose: signature, `exp`, `nbf`, and `iss`/`aud`
 * when configured. A missing, empty, malformed, expired, not-yet-valid or
 * foreign token is "no session" (`null`, answered 401), never an error; only
 * a key set that cannot be fetched throws (`UNAVAILABLE`, answered 503).
 * Cookies are ignored: chain a cookie adapter with {@link firstOf}.
 *
 * @param options - one key source (`secret`, `key` + `algorithms`, or `jwks`) and the claims to check.
 * @returns a session adapter resolving to `{ userId: sub, claims }` (or your `toSession` result).
 * @example
 * ```ts
 * import { bearerJwt } from '@presence/server/session'
 *
 * const session = bearerJwt({
 *   jwks: 'https://auth.example.com/.well-known/jwks.json',
 *   issuer: 'https://auth.example.com',
 *   audience: 'extension',
 * })
 * ```
 */
export function bearerJwt<S extends Session = JwtSession>(
  options: BearerJwtOptions<S>,
): TypedSessionAdapter<S> {
  const { key, algorithms } = resolveKey(options)
  const toSession = (options.toSession ?? defaultToSession) as (
    claims: JWTPayload,
  ) => S | null | Promise<S | null>
  const verifyOptions = {
    ...(algorithms ? { algorithms } : {}),
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    clockTolerance: options.clockToleranceSec ?? 0,
  }

  return async function bearerJwtSession(request: PresenceRequest): Promise<S | null> {
    const token = bearerToken(request)
    if (!token) return null
    let claims: JWTPayload
    try {
      // One call per key kind keeps jose's overloads happy.
      const result =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key as Uint8Array, verifyOptions)
      claims = result.payload
    } catch (error) {
      if (error instanceof errors.JOSEError && TOKEN_FAULTS.has(error.code)) return null
      // jose reports a key that does not fit the token's algorithm as a TypeError: still the token's fault.
      if (error instanceof TypeError && /key|algorithm/i.test(error.message)) return null
      throw new PresenceError('UNAVAILABLE', 'bearerJwt: the token could not be verified', {
        cause: error,
      })
    }
    return toSession(claims)
  }
}
