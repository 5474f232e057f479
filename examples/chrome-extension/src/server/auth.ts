import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { bearer, organization } from 'better-auth/plugins'
import type Database from 'better-sqlite3'

/** Options of {@link createAuth}. */
export interface AuthOptions {
  /** The app's SQLite database; better-auth keeps its users, sessions and organizations there. */
  database: Database.Database
  /** better-auth's secret (signs the session cookie and the Bearer tokens). At least 32 characters. */
  secret: string
  /** The backend's public URL, e.g. `https://app.example.com` (better-auth's `baseURL`). */
  baseURL: string
}

/**
 * The request header that carries the client's address to better-auth's rate limiter. The
 * backend sets it from the socket address (or from `X-Forwarded-For` only through the proxies
 * Express is told to trust) and overwrites whatever a client sent under that name.
 */
export const CLIENT_IP_HEADER = 'x-presence-client-ip'

/**
 * The backend's better-auth: email and password sign-in, organizations (the active one is the
 * tenant) and the `bearer` plugin, which hands the extension its token: the sign-in answer's
 * `set-auth-token` header, sent back as `Authorization: Bearer <token>`. Only signed tokens are
 * accepted (`requireSignature`), so a raw session id read from a database dump is no token.
 *
 * Rate limits and the refusal of a default secret are better-auth's own defaults, left as they
 * are: on in production, off in development and tests. Only the client address they are keyed
 * on changes: {@link CLIENT_IP_HEADER}, which the app sets, instead of a client-controlled
 * `X-Forwarded-For`.
 *
 * @param options - see {@link AuthOptions}
 * @returns the better-auth instance (`auth.handler`, `auth.api`)
 */
export function createAuth(options: AuthOptions) {
  return betterAuth({
    database: options.database,
    secret: options.secret,
    baseURL: options.baseURL,
    emailAndPassword: { enabled: true },
    plugins: [organization(), bearer({ requireSignature: true })],
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    telemetry: { enabled: false },
  })
}

/** The backend's better-auth instance. */
export type Auth = ReturnType<typeof createAuth>

/** Creates or updates better-auth's tables (user, session, account, organization, member...). */
export async function migrateAuth(auth: Auth): Promise<void> {
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
}
