import { createHash, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import {
  createPresenceServer,
  createSigner,
  type DecisionEvent,
  type OnlineTracker,
  onlineTracker,
} from '@presence/server'
import { redisCache } from '@presence/server/cache'
import { toExpress } from '@presence/server/express'
import type { SessionAdapter } from '@presence/server/session'
import express, { type Express } from 'express'
import { Redis } from 'ioredis'
import { ConfigError } from './config.js'
import { encryptedStreamChannels } from './features/encrypted-stream.js'
import { seedChannels } from './features/index.js'
import { type AppMetrics, createMetrics } from './metrics.js'
import { storedChannelEvents } from './retained/channel-events.js'
import { type AppSession, sqliteSession } from './session.js'
import { openStore, type Store } from './store/store.js'
import { lastSeen, memberWebhooks } from './webhooks.js'

/** Configuration of one app instance. */
export interface AppConfig {
  /**
   * The Pusher-protocol app credentials. `encryptionMasterKeyBase64` (32 bytes, base64) turns
   * on the `private-encrypted-stream@{streamId}` channel; without it the app defines no
   * encrypted channel.
   */
  pusher: { appId: string; key: string; secret: string; encryptionMasterKeyBase64?: string }
  /** Redis for the channel-data cache and online status: an ioredis client or a `redis://` URL. */
  redis: Redis | string
  /** The data store, or where to open it. @default an in-memory SQLite database */
  store?: Store | { path: string }
  /**
   * Demo mode: seeds an empty store with the demo accounts (known tokens `token-<name>`).
   * Outside demo mode the app refuses a store that holds them (`DEMO_DATA_OUTSIDE_DEMO`).
   * @default false
   */
  demo?: boolean
  /**
   * The Bearer token `GET /metrics` requires (Prometheus' `authorization: credentials`).
   * @default null (metrics answer 401 to everyone)
   */
  metricsToken?: string | null
  /** A name for logs and the `X-Instance` response header. @default 'app' */
  name?: string
  /** How long private channel data stays cached, in milliseconds. @default 10000 */
  cacheTtlMs?: number
  /** Error messages and decision traces in responses. @default NODE_ENV === 'development' */
  debug?: boolean
  /** Also collect Node's process metrics at `/metrics`. @default true */
  defaultMetrics?: boolean
  /** Observes every authorization decision, after the metrics counted it (tests, logs). */
  onDecision?: (event: DecisionEvent) => void
}

/** A created app, not yet listening. */
export interface PresenceApp {
  readonly app: Express
  readonly store: Store
  readonly metrics: AppMetrics
  readonly redis: Redis
  /** Online status from soketi's member webhooks, shared through Redis. */
  readonly online: OnlineTracker
  /** Listens on `host:port` (a free port when 0). */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>
  /** Stops listening and closes the store and Redis connections this app opened. */
  close(): Promise<void>
}

/**
 * Builds the example's Express 5 app: the batch authentication service.
 *
 * Routes: `GET|POST /pusher/batch-authenticate`, `POST /pusher/auth`,
 * `POST /pusher/user-auth`, `POST /pusher/webhook`, `GET /users/:userId/presence` (signed in),
 * `GET /metrics` (`metricsToken`), `GET /healthz`.
 *
 * @param config - credentials, Redis, store
 * @returns the app with its store, metrics and Redis client
 * @throws {ConfigError} `DEMO_DATA_OUTSIDE_DEMO` when the store holds the demo accounts and
 *   `demo` is off
 * @example
 * const { listen } = createApp({ pusher: { appId, key, secret }, redis: 'redis://127.0.0.1:6379' })
 * const { url } = await listen(3000)
 */
export function createApp(config: AppConfig): PresenceApp {
  const name = config.name ?? 'app'
  const demo = config.demo === true
  const ownsStore = !config.store || !('db' in config.store)
  const store =
    config.store && 'db' in config.store ? config.store : openStore({ ...config.store, demo })
  if (!demo && store.hasDemoData()) {
    if (ownsStore) store.close()
    throw new ConfigError(
      'DEMO_DATA_OUTSIDE_DEMO',
      'Cannot start: the database holds the demo accounts (their login tokens are published in ' +
        'README.md) and this is not a demo start. Point DATABASE_PATH at the real database, or ' +
        'start in demo mode (--demo) on a throwaway one.',
    )
  }
  const ownsRedis = typeof config.redis === 'string'
  const redis = typeof config.redis === 'string' ? new Redis(config.redis) : config.redis
  if (ownsRedis) {
    // ioredis reconnects by itself; say so once per distinct failure instead of per retry.
    let lastRedisError = ''
    redis.on('error', (error: Error) => {
      if (error.message === lastRedisError) return
      lastRedisError = error.message
      console.error(`[${name}] Redis: ${error.message} (retrying)`)
    })
    redis.on('ready', () => {
      lastRedisError = ''
    })
  }
  const metrics = createMetrics({ defaultMetrics: config.defaultMetrics ?? true })
  const cache = redisCache(redis, { prefix: 'ext.pusher:' })
  const online = onlineTracker({ cache })

  const masterKey = config.pusher.encryptionMasterKeyBase64
  const deps = { store, isOnline: online.isOnline, cacheTtlMs: config.cacheTtlMs ?? 10_000 }
  const session = sqliteSession(store)

  const presence = createPresenceServer({
    signer: createSigner({
      key: config.pusher.key,
      secret: config.pusher.secret,
      ...(masterKey ? { encryptionMasterKeyBase64: masterKey } : {}),
    }),
    session,
    cache,
    // Encrypted channels exist only with a master key: without one, such a name is unknown.
    channels: masterKey
      ? { ...seedChannels(deps), ...encryptedStreamChannels(deps) }
      : seedChannels(deps),
    retain: [({ channel }) => storedChannelEvents(store, channel)],
    responseHeaders: { 'Accept-CH': 'DPR', 'Accept-CH-Lifetime': '3600', 'X-Instance': name },
    clientId: (request) => request.headers.get('x-client-id'),
    onDecision: (event) => {
      metrics.record(event)
      config.onDecision?.(event)
    },
    webhooks: memberWebhooks(redis, online),
    // pusher-js signin(): the user's id and public profile, for user-level events.
    userData: (session) => {
      const user = store.user(session.userId)
      return user ? { id: user.id, user_info: { name: user.name } } : { id: session.userId }
    },
    ...(config.debug === undefined ? {} : { debug: config.debug }),
  })

  const app = express()
  app.disable('x-powered-by')
  const count =
    (route: string): express.RequestHandler =>
    (_req, _res, next) => {
      metrics.authRequests.inc({ route })
      next()
    }
  // The batch authentication service's own wire path, kept for its clients.
  const batch = toExpress(presence.handlers.batch)
  app.get('/pusher/batch-authenticate', count('batch'), batch)
  app.post('/pusher/batch-authenticate', count('batch'), batch)
  // Every other endpoint through one handler: /pusher/auth, /pusher/batch, /pusher/user-auth
  // and /pusher/webhook (presence.handler dispatches on the last path segment).
  const counted = new Set(['/auth', '/batch', '/user-auth'])
  app.use(
    '/pusher',
    (req, _res, next) => {
      if (counted.has(req.path)) metrics.authRequests.inc({ route: req.path.slice(1) })
      next()
    },
    toExpress(presence.handler),
  )
  // Operational: only the scraper holding METRICS_TOKEN (none configured: nobody).
  // Digests of equal length, compared in constant time: neither the token nor its length leaks.
  const digest = (value: string) => createHash('sha256').update(value).digest()
  const metricsToken = config.metricsToken ? digest(`Bearer ${config.metricsToken}`) : null
  app.get('/metrics', async (req, res) => {
    const allowed =
      metricsToken !== null && timingSafeEqual(digest(req.get('authorization') ?? ''), metricsToken)
    if (!allowed) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json(unauthenticated)
      return
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
  // A data endpoint: signed-in users only. Anyone signed in may see whether a user is online
  // (public on the user's profile channel too); where they last joined is theirs alone.
  app.get('/users/:userId/presence', async (req, res) => {
    const caller = await sessionOf(req, session)
    if (!caller) {
      res.status(401).json(unauthenticated)
      return
    }
    const { userId } = req.params
    if (!store.user(userId)) {
      res.status(404).json({ error: { code: 'USER_NOT_FOUND' } })
      return
    }
    const isOnline = await online.isOnline(userId)
    if (caller.userId !== userId) {
      res.json({ online: isOnline })
      return
    }
    res.json({ online: isOnline, lastSeen: await lastSeen(redis, userId) })
  })
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, instance: name })
  })

  let server: ReturnType<Express['listen']> | undefined
  return {
    app,
    store,
    metrics,
    redis,
    online,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const listening = app.listen(port, host, (error) => {
          if (error) return reject(error)
          const address = listening.address() as AddressInfo
          resolve({ url: `http://${host}:${address.port}`, port: address.port })
        })
        server = listening
      })
    },
    async close() {
      if (server) {
        const closing = server
        server = undefined
        closing.closeAllConnections()
        await new Promise<void>((resolve) => closing.close(() => resolve()))
      }
      if (ownsRedis) redis.disconnect()
      if (ownsStore) store.close()
    },
  }
}

const unauthenticated = { error: { code: 'UNAUTHENTICATED' } } as const

/** The session of an Express request, through the same adapter the auth routes use. */
function sessionOf(
  req: express.Request,
  session: SessionAdapter<AppSession>,
): AppSession | null | Promise<AppSession | null> {
  return session({
    method: req.method,
    url: req.originalUrl,
    headers: { get: (name) => req.get(name) ?? null },
    raw: req,
  })
}
