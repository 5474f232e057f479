/**
 * Runtime configuration, read from the environment at request time.
 *
 * Every variable is read through `process.env[name]` with a computed name, so
 * Next.js does not inline it at build time: one `next build` serves soketi on
 * any port, Sockudo or Pusher Channels, chosen when the server starts.
 *
 * There are no fallback secrets: {@link assertRequiredEnv} stops the server at start-up when
 * one is missing, so a copy of this app cannot run with a secret published here.
 */

function read(name: string): string | undefined {
  const value = process.env[name]
  return value === undefined || value === '' ? undefined : value
}

function flag(name: string, fallback: boolean): boolean {
  const value = read(name)
  if (value === undefined) return fallback
  return value === 'true' || value === '1'
}

/**
 * The variables the server cannot start without: the Pusher app's key and secret (they sign
 * channel authorizations) and next-auth's secret (it encrypts the session cookie).
 */
export const REQUIRED_ENV = ['NEXTAUTH_SECRET', 'PUSHER_KEY', 'PUSHER_SECRET'] as const

/** The required variables that are unset or empty. */
export function missingEnv(): string[] {
  return REQUIRED_ENV.filter((name) => read(name) === undefined)
}

/** The error a start without the required variables stops with: it names every missing one. */
export class MissingEnvError extends Error {
  override readonly name = 'MissingEnvError'
  readonly code = 'ENV_MISSING'
  constructor(readonly missing: readonly string[]) {
    super(
      `Missing required environment variables: ${missing.join(', ')}. ` +
        'Set them before starting the server (see examples/nextjs/README.md, "Deploying"); ' +
        'this app has no fallback secrets.',
    )
  }
}

/** Throws {@link MissingEnvError} when a required variable is missing. */
export function assertRequiredEnv(): void {
  const missing = missingEnv()
  if (missing.length > 0) throw new MissingEnvError(missing)
}

function required(name: (typeof REQUIRED_ENV)[number]): string {
  const value = read(name)
  if (value === undefined) throw new MissingEnvError([name])
  return value
}

/**
 * Demo mode (`PRESENCE_DEMO=1`, set by `pnpm demo` and the browser test): demo accounts are
 * created, their one-click sign-in and the "subscribe anyway" refusal demo are shown, and the
 * sign-in rate limit allows a demo's bursts from one address. Off unless set.
 */
export function demoMode(): boolean {
  return flag('PRESENCE_DEMO', false)
}

/** The server side of the Pusher-protocol app: what signs channel authorizations. */
export interface PusherServerConfig {
  key: string
  secret: string
}

/** What the browser needs to open the websocket; never holds the secret. */
export interface PusherPublicConfig {
  key: string
  /** Websocket host; `undefined` means Pusher Channels' own host for `cluster`. */
  host: string | undefined
  port: number | undefined
  forceTLS: boolean
  cluster: string
}

/**
 * `PUSHER_KEY` and `PUSHER_SECRET`: signing a channel needs nothing else (the
 * websocket server checks the signature with the same pair). Both required.
 */
export function pusherServerConfig(): PusherServerConfig {
  return { key: required('PUSHER_KEY'), secret: required('PUSHER_SECRET') }
}

/**
 * `NEXT_PUBLIC_PUSHER_KEY`, `NEXT_PUBLIC_PUSHER_HOST`, `NEXT_PUBLIC_PUSHER_PORT`,
 * `NEXT_PUBLIC_PUSHER_TLS`, `NEXT_PUBLIC_PUSHER_CLUSTER`. Read on the server at
 * request time and handed to the browser as props.
 */
export function pusherPublicConfig(): PusherPublicConfig {
  const cluster = read('NEXT_PUBLIC_PUSHER_CLUSTER')
  const host = read('NEXT_PUBLIC_PUSHER_HOST') ?? (cluster ? undefined : '127.0.0.1')
  const port = read('NEXT_PUBLIC_PUSHER_PORT') ?? (host === '127.0.0.1' ? '6001' : undefined)
  return {
    key: read('NEXT_PUBLIC_PUSHER_KEY') ?? required('PUSHER_KEY'),
    host,
    port: port === undefined ? undefined : Number(port),
    forceTLS: flag('NEXT_PUBLIC_PUSHER_TLS', cluster !== undefined),
    cluster: cluster ?? 'local',
  }
}

/** Where the app's SQLite database lives. @default '.data/messenger.db' */
export function databasePath(): string {
  return read('DATABASE_PATH') ?? '.data/messenger.db'
}

/**
 * `TRUSTED_PROXIES`: comma-separated addresses of the reverse proxies in front of the app
 * (e.g. `127.0.0.1,10.0.0.2`). Only a request whose socket comes from one of them may name
 * the client in `X-Forwarded-For`. @default none: the socket address is the client
 */
export function trustedProxies(): ReadonlySet<string> {
  const list = read('TRUSTED_PROXIES') ?? ''
  return new Set(
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
}
