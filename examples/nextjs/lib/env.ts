/**
 * Runtime configuration, read from the environment at request time.
 *
 * Every variable is read through `process.env[name]` with a computed name, so
 * Next.js does not inline it at build time: one `next build` serves soketi on
 * any port, Sockudo or Pusher Channels, chosen when the server starts.
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
 * websocket server checks the signature with the same pair). Defaults match
 * soketi's default app.
 */
export function pusherServerConfig(): PusherServerConfig {
  return {
    key: read('PUSHER_KEY') ?? 'app-key',
    secret: read('PUSHER_SECRET') ?? 'app-secret',
  }
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
    key: read('NEXT_PUBLIC_PUSHER_KEY') ?? read('PUSHER_KEY') ?? 'app-key',
    host,
    port: port === undefined ? undefined : Number(port),
    forceTLS: flag('NEXT_PUBLIC_PUSHER_TLS', cluster !== undefined),
    cluster: cluster ?? 'local',
  }
}

/** Where the SQLite database of better-auth lives. @default '.data/messenger.db' */
export function databasePath(): string {
  return read('DATABASE_PATH') ?? '.data/messenger.db'
}
