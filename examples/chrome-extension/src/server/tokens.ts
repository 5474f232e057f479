import { SignJWT } from 'jose'

/** Issuer and audience of the example's access tokens; `bearerJwt` checks both. */
export const TOKEN_ISSUER = 'presence-example-backend'
export const TOKEN_AUDIENCE = 'presence-chrome-extension'

/** What an access token says: who, and which organization is active (if any). */
export interface AccessTokenClaims {
  userId: string
  /** The active organization, carried as the `org` claim. Absent: a personal tenant. */
  organizationId?: string
  /** Lifetime in seconds. @default 3600 */
  expiresInSeconds?: number
}

/**
 * Mints the HS256 access token the extension stores as `chrome.storage.local.accessToken`
 * (the dev endpoint `POST /api/dev/token` and the tests use it).
 *
 * @param secret - the shared HMAC secret the backend verifies with
 * @param claims - the user and active organization
 * @returns a compact JWT
 * @example
 * const token = await mintAccessToken(secret, { userId: 'user-alice', organizationId: 'org-acme' })
 */
export async function mintAccessToken(
  secret: Uint8Array,
  claims: AccessTokenClaims,
): Promise<string> {
  const jwt = new SignJWT(claims.organizationId ? { org: claims.organizationId } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${claims.expiresInSeconds ?? 3600}s`)
  return jwt.sign(secret)
}
