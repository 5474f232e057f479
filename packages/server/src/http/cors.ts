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

/** Computes CORS headers for a request. @internal */
export interface Cors {
  /** Headers for an answer to a request from `origin` (always `Vary: Origin`). */
  headers(origin: string | null): Record<string, string>
  /** Headers for a preflight from `origin`; `null` when the origin is not allowed. */
  preflight(origin: string | null): Record<string, string> | null
}

/**
 * Builds CORS from the `cors` option. Origins match exactly (scheme, host,
 * port), `chrome-extension://<id>` included; `*` is refused because the
 * answers carry credentials-bound signatures.
 * @param option - the option.
 * @returns the CORS helper, or `null` when the option is absent.
 * @internal
 */
export function createCors(option: CorsOptions | readonly string[] | undefined): Cors | null {
  if (option === undefined) return null
  const options: CorsOptions = Array.isArray(option)
    ? { origins: option as readonly string[] }
    : (option as CorsOptions)
  const origins = new Set<string>()
  for (const origin of options.origins ?? []) {
    if (
      typeof origin !== 'string' ||
      origin === '*' ||
      !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin)
    ) {
      throw new PresenceError(
        'CONFIG_INVALID',
        `cors origin ${JSON.stringify(origin)} must be an exact origin such as 'https://app.example.com' or 'chrome-extension://<id>' (no path, no trailing slash, no '*')`,
      )
    }
    origins.add(origin)
  }
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
