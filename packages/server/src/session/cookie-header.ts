/**
 * Reading a `Cookie` request header, for session adapters that hand cookies to an auth library
 * as an object.
 * @module
 * @internal
 */

/**
 * The cookies of a `Cookie` header, by name (the first of a repeated name wins, as in the
 * `cookie` package next-auth uses). A value that is not valid percent-encoding is kept as sent.
 * @internal
 */
export function parseCookieHeader(header: string): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null)
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq <= 0) continue
    const name = part.slice(0, eq).trim()
    if (name === '' || name in cookies) continue
    let value = part.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1)
    try {
      cookies[name] = decodeURIComponent(value)
    } catch {
      cookies[name] = value
    }
  }
  return cookies
}
