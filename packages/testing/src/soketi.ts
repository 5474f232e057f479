import { createRequire } from 'node:module'
import { getFreePort, waitFor } from './ports.js'
import { type ManagedProcess, startProcess } from './process.js'

const require = createRequire(import.meta.url)

/** A webhook soketi should send, as in soketi's `SOKETI_DEFAULT_APP_WEBHOOKS`. */
export interface SoketiWebhook {
  url: string
  event_types: Array<
    'channel_occupied' | 'channel_vacated' | 'member_added' | 'member_removed' | 'client_event'
  >
}

/** Options for {@link startSoketi}. */
export interface SoketiOptions {
  /** @default 'app-id' */
  appId?: string
  /** @default 'app-key' */
  key?: string
  /** @default 'app-secret' */
  secret?: string
  /** Port to listen on; a free loopback port when omitted (reuse it to restart a node). */
  port?: number
  /** `memory` (default) or `redis` (needs `redisPort`), for several nodes sharing state. */
  adapter?: 'memory' | 'redis'
  redisPort?: number
  webhooks?: SoketiWebhook[]
  /** soketi's `presence.maxMembersPerChannel`. @default 100 (soketi's own default) */
  maxPresenceMembers?: number
  /** Lets clients trigger `client-` events. @default true */
  clientMessages?: boolean
  /**
   * User authentication (`SOKETI_DEFAULT_APP_USER_AUTHENTICATION`): with it, soketi accepts
   * `pusher:signin` (without it soketi ignores sign-ins, so `terminate_connections` finds no
   * user) and closes a connection not signed in within `userAuthenticationTimeoutMs` (4009).
   * @default true
   */
  userAuthentication?: boolean
  /** soketi's `SOKETI_USER_AUTHENTICATION_TIMEOUT`, in ms. @default 30000 (soketi's own) */
  userAuthenticationTimeoutMs?: number
  /** Extra `SOKETI_*` environment variables. */
  env?: Record<string, string>
}

/** A running soketi server on 127.0.0.1. */
export interface SoketiServer {
  readonly host: '127.0.0.1'
  readonly port: number
  readonly appId: string
  readonly key: string
  readonly secret: string
  /** `http://127.0.0.1:<port>` (the HTTP API and the websocket share the port). */
  readonly httpUrl: string
  /** Options for pusher-js: `{ wsHost, wsPort, forceTLS: false, ... }`. */
  readonly pusherJsOptions: {
    wsHost: string
    wsPort: number
    wssPort: number
    forceTLS: false
    enabledTransports: ['ws']
    disableStats: true
    cluster: string
  }
  /** Options for the `pusher` server SDK. */
  readonly pusherOptions: {
    appId: string
    key: string
    secret: string
    host: string
    port: string
    useTLS: false
  }
  readonly process: ManagedProcess
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>
}

function soketiBin(): string {
  return require.resolve('@soketi/soketi/bin/server.js')
}

/**
 * Starts soketi on a loopback port and resolves once its HTTP API answers.
 *
 * @example
 * const soketi = await startSoketi()
 * const pusher = new Pusher(soketi.pusherOptions)
 * await soketi.stop()
 */
export async function startSoketi(options: SoketiOptions = {}): Promise<SoketiServer> {
  const appId = options.appId ?? 'app-id'
  const key = options.key ?? 'app-key'
  const secret = options.secret ?? 'app-secret'
  const port = options.port ?? (await getFreePort())
  const metricsPort = await getFreePort()
  const env: Record<string, string> = {
    SOKETI_HOST: '127.0.0.1',
    SOKETI_PORT: String(port),
    SOKETI_METRICS_HOST: '127.0.0.1',
    SOKETI_METRICS_SERVER_PORT: String(metricsPort),
    SOKETI_DEFAULT_APP_ID: appId,
    SOKETI_DEFAULT_APP_KEY: key,
    SOKETI_DEFAULT_APP_SECRET: secret,
    SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: String(options.clientMessages ?? true),
    SOKETI_DEFAULT_APP_USER_AUTHENTICATION: String(options.userAuthentication ?? true),
    SOKETI_SHUTDOWN_GRACE_PERIOD: '100',
    SOKETI_PRESENCE_MAX_MEMBERS: String(options.maxPresenceMembers ?? 100),
    SOKETI_DEBUG: '0',
  }
  if (options.adapter === 'redis') {
    if (!options.redisPort) throw new Error('startSoketi: adapter "redis" needs redisPort')
    env.SOKETI_ADAPTER_DRIVER = 'redis'
    env.SOKETI_DB_REDIS_HOST = '127.0.0.1'
    env.SOKETI_DB_REDIS_PORT = String(options.redisPort)
    // soketi's redis adapter prefixes its pub/sub channels; all nodes of one cluster share it.
    env.SOKETI_ADAPTER_REDIS_PREFIX = `soketi-${options.redisPort}`
  }
  if (options.userAuthenticationTimeoutMs !== undefined) {
    env.SOKETI_USER_AUTHENTICATION_TIMEOUT = String(options.userAuthenticationTimeoutMs)
  }
  if (options.webhooks) env.SOKETI_DEFAULT_APP_WEBHOOKS = JSON.stringify(options.webhooks)
  Object.assign(env, options.env)

  // soketi's uWebSockets.js build only loads on Node 20 (ABI 115): when the tests themselves run
  // on another Node (CI's Node 22/24 passes), soketi keeps running on the machine's Node 20.
  const node = process.env.PRESENCE_SOKETI_NODE || process.execPath
  const proc = startProcess(node, [soketiBin(), 'start'], { env })
  const httpUrl = `http://127.0.0.1:${port}`
  try {
    await Promise.race([
      waitFor(
        async () => {
          const res = await fetch(`${httpUrl}/`)
          return res.ok
        },
        { timeoutMs: 20_000, intervalMs: 100, what: `soketi on ${httpUrl}` },
      ),
      proc.exited.then((code) => {
        throw new Error(`soketi exited early (code ${code}):\n${proc.output()}`)
      }),
    ])
  } catch (error) {
    await proc.stop()
    throw error
  }

  return {
    host: '127.0.0.1',
    port,
    appId,
    key,
    secret,
    httpUrl,
    pusherJsOptions: {
      wsHost: '127.0.0.1',
      wsPort: port,
      wssPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      cluster: 'local',
    },
    pusherOptions: { appId, key, secret, host: '127.0.0.1', port: String(port), useTLS: false },
    process: proc,
    stop: () => proc.stop(),
  }
}
