import type { PresenceRequest } from './types.js'

/** RFC 6750 `b64token` characters: a token never holds spaces or commas. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * The token of an `Authorization: Bearer <token>` header (scheme matched
 * case-insensitively), or `null` when the header is absent, uses another
 * scheme, or carries nothing usable after `Bearer`.
 *
 * @param request - anything with `headers.get`.
 * @returns the token, or `null`.
 * @example
 * ```ts
 * bearerToken(new Request('https://x', { headers: { authorization: 'Bearer abc' } })) // 'abc'
 * ```
 */
export function bearerToken(request: Pick<PresenceRequest, 'headers'>): string | null {
  const header = request.headers.get('authorization')
  if (!header) return null
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  const token = match?.[1]
  return token && TOKEN.test(token) ? token : null
}
