import { PresenceError } from '../errors.js'

/** CORS for browser and extension callers. */
export interface CorsOptions {
  /** Exact origins allowed, e.g. `'https://app.example.com'`, `'chrome-extension://<id>'`. */
  origins: readonly string[]
  /** Send `Access-Control-Allow-Credentials: true` to listed origins. @default true */
  credentials?: boolean
  /** Request headers allowed besides `Authorization` and `Content-Type` (e.g. `'X-Client-ID'`). @default [] */
  allowHeaders?: readonly string[]
  /** `Access-Control-Max-Age` of preflight answers, in seconds. @default 600 */
  maxAgeSeconds?: number
}

/** An exact origin: scheme, host (letters, digits, dots, dashes), optional port. */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** Computes CORS headers for a request. @internal */
export interface Cors {
  /** Headers for an answer to a request from `origin` (always `Vary: Origin`). */
  headers(origin: string | null): Record<string, string>
  /** Headers for a preflight from `origin`; `null` when the origin is not allowed. */
  preflight(origin: string | null): Record<string, string> | null
}

/** The option's origins, as a set, once every field of the option is checked. */
function checkedOrigins(options: CorsOptions, fail: (why: string) => never): Set<string> {
  const origins = new Set<string>()
  for (const origin of options.origins) {
    if (typeof origin !== 'string' || origin.includes('*') || !ORIGIN.test(origin)) {
      fail(
        `origin ${JSON.stringify(origin)} must be an exact origin such as 'https://app.example.com' or 'chrome-extension://<id>' (scheme and host, optional port; no path, no trailing slash, no wildcard)`,
      )
    }
    origins.add(origin)
  }
  if (options.credentials !== undefined && typeof options.credentials !== 'boolean') {
    fail('credentials is true or false')
  }
  if (
    options.allowHeaders !== undefined &&
    (!Array.isArray(options.allowHeaders) ||
      options.allowHeaders.some((name) => typeof name !== 'string' || !HEADER_NAME.test(name)))
  ) {
    fail("allowHeaders is an array of header names, e.g. ['X-Client-ID']")
  }
  if (
    options.maxAgeSeconds !== undefined &&
    (!Number.isInteger(options.maxAgeSeconds) || options.maxAgeSeconds < 0)
  ) {
    fail('maxAgeSeconds is a whole number of seconds, 0 or more')
  }
  return origins
}

/**
 * Builds CORS from the `cors` option. Origins match exactly (scheme, host,
 * port), `chrome-extension://<id>` included. Anything else is refused at
 * creation with `CONFIG_INVALID` rather than silently matching nothing: a
 * non-array `origins`, a wildcard (`*`, `https://*.example.com`), a path or
 * trailing slash, a non-boolean `credentials`.
 * @param option - the option.
 * @returns the CORS helper, or `null` when the option is absent.
 * @internal
 */
export function createCors(option: CorsOptions | readonly string[] | undefined): Cors | null {
  if (option === undefined) return null
  const fail = (why: string): never => {
    throw new PresenceError('CONFIG_INVALID', `cors: ${why}`)
  }
  if (option === null || typeof option !== 'object') {
    fail(
      'give an array of exact origins, or { origins: [...], credentials?, allowHeaders?, maxAgeSeconds? }',
    )
  }
  const options: CorsOptions = Array.isArray(option)
    ? { origins: option as readonly string[] }
    : (option as CorsOptions)
  if (!Array.isArray(options.origins)) {
    fail(
      `origins must be an array of exact origins, e.g. ['https://app.example.com'] (got ${typeof options.origins})`,
    )
  }
  const origins = checkedOrigins(options, fail)
  const credentials = options.credentials ?? true
  const allowHeaders = ['Authorization', 'Content-Type', ...(options.allowHeaders ?? [])].join(', ')
  const maxAge = String(options.maxAgeSeconds ?? 600)
  const allowed = (origin: string | null): origin is string =>
    origin !== null && origins.has(origin)
  return {
    headers(origin) {
      if (!allowed(origin)) return { Vary: 'Origin' }
      const headers: Record<string, string> = {
        'Access-Control-Allow-Origin': origin,
        Vary: 'Origin',
      }
      if (credentials) headers['Access-Control-Allow-Credentials'] = 'true'
      return headers
    },
    preflight(origin) {
      if (!allowed(origin)) return null
      return {
        ...this.headers(origin),
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': allowHeaders,
        'Access-Control-Max-Age': maxAge,
      }
    },
  }
}
