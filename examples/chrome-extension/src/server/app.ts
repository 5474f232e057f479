import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner, type DecisionEvent } from '@presence/server'
import { toExpress } from '@presence/server/express'
import { toNodeHandler } from 'better-auth/node'
import express from 'express'
import Pusher from 'pusher'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import { appSession } from './app-session.js'
import { CLIENT_IP_HEADER, createAuth, migrateAuth } from './auth.js'
import { exactOriginCors } from './cors.js'
import { openSqlite, workSessions } from './db.js'
import { type DemoIds, seedDemoData } from './demo-data.js'
import { SESSION_CHANNEL_PATTERN, sessionChannel } from './session-channel.js'
import { sessionsRoutes } from './sessions-routes.js'

/** Options of {@link createBackend}. */
export interface BackendConfig {
  /** The Pusher-protocol server (soketi, Sockudo, Pusher Channels), as the `pusher` SDK takes it. */
  pusher: Pusher.Options
  /** better-auth's secret: signs the web app's session cookie and the extension's Bearer tokens. */
  authSecret: string
  /** The backend's public URL (better-auth's `baseURL`), e.g. `https://app.example.com`. */
  baseURL: string
  /**
   * Origins allowed to call the API from a browser: exact matches only.
   * @default [`chrome-extension://<this extension's id>`]
   */
  allowedOrigins?: readonly string[]
  /**
   * The SQLite file (better-auth's tables and the work sessions), created when missing.
   * @default ':memory:'
   */
  database?: string
  /**
   * Demo mode: create the demo accounts (published password) and work sessions when they do
   * not exist. Turned on by `pnpm dev` only; never in production.
   * @default false
   */
  demo?: boolean
  /**
   * Error bodies carry `message` and the decision `trace` (the original app's dev-only JSON 403s).
   * @default process.env.NODE_ENV === 'development'
   */
  debug?: boolean
  /** Called once per channel decision of the auth route (logs, counters). */
  onDecision?: (event: DecisionEvent) => void
  /**
   * Express's `trust proxy`: which proxies' `X-Forwarded-For` names the client (e.g.
   * `'loopback'`, or a hop count). Sign-in rate limits are keyed on the address this gives.
   * @default false (the socket address; `X-Forwarded-For` is ignored)
   */
  trustProxy?: boolean | number | string
}

/**
 * The original app's backend: Express 5 with
 *
 * - `/api/auth/*`: better-auth (email and password, organizations, the `bearer` plugin that
 *   gives the extension its token);
 * - `POST /api/pusher/auth`: `@presence/server` with `firstOf(Bearer reader, cookie)` on
 *   better-auth + `withTenant`, one `private-session-{sessionId}` definition, CORS for exactly
 *   the extension's origin, debug traces in development;
 * - `GET|POST|PATCH /api/sessions[/:id]`: the polling fallback and session updates (PATCH
 *   triggers `session-updated` on the session's channel), each behind the same session check.
 *
 * Migrates the database (better-auth's tables, then the work sessions) before it resolves.
 *
 * @param config - see {@link BackendConfig}
 * @returns the Express app, better-auth, the work-session store, the `pusher` SDK instance,
 *   the demo's ids in demo mode, `listen()` and `close()`
 * @example
 * const backend = await createBackend({ pusher, authSecret, baseURL: 'https://app.example.com' })
 * const { url } = await backend.listen(3000)
 */
export async function createBackend(config: BackendConfig) {
  const debug = config.debug ?? process.env.NODE_ENV === 'development'
  const allowedOrigins = config.allowedOrigins ?? [EXTENSION_ORIGIN]
  const sqlite = openSqlite(config.database ?? ':memory:')
  const auth = createAuth({ database: sqlite, secret: config.authSecret, baseURL: config.baseURL })
  await migrateAuth(auth)
  const db = workSessions(sqlite)
  const demo: DemoIds | null = config.demo ? await seedDemoData(auth, db) : null
  const session = appSession(auth, db)
  const pusher = new Pusher(config.pusher)

  const presence = createPresenceServer({
    // The `pusher` SDK triggers; the signer signs with the same key and secret.
    signer: createSigner({ key: config.pusher.key, secret: config.pusher.secret }),
    session,
    channels: { [SESSION_CHANNEL_PATTERN]: sessionChannel(db) },
    // The extension sends a Bearer token, never a cookie: no credentials grant needed.
    cors: { origins: allowedOrigins, credentials: false },
    debug,
    ...(config.onDecision ? { onDecision: config.onDecision } : {}),
  })

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy ?? false)
  // better-auth's rate limits are keyed on this header: the address Express trusts, never a
  // value the client sent (rotating X-Forwarded-For would otherwise reset the limit).
  app.use('/api/auth', (req, _res, next) => {
    req.headers[CLIENT_IP_HEADER] = req.ip ?? ''
    next()
  })
  // better-auth reads its own bodies: mounted before any body parser.
  app.all('/api/auth/{*path}', toNodeHandler(auth))
  // The presence handler answers its own preflights and sets its own CORS headers.
  app.all('/api/pusher/auth', toExpress(presence.handlers.auth))
  app.use('/api/sessions', exactOriginCors(allowedOrigins))
  app.use('/api/sessions', sessionsRoutes({ db, session, pusher, debug }))

  return {
    app,
    auth,
    db,
    pusher,
    presence,
    /** The demo's user and organization ids (demo mode), else `null`. */
    demo,
    /**
     * Listens on `host:port` (port 0: a free one).
     * @returns the base URL and `close()`, which stops the server (the database stays open)
     */
    listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
      const server = createServer(app)
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo
          resolve({
            url: `http://${host}:${actual}`,
            close: () =>
              new Promise<void>((done, fail) => {
                server.closeAllConnections()
                server.close((error) => (error ? fail(error) : done()))
              }),
          })
        })
      })
    },
    /** Closes the database. */
    close(): void {
      sqlite.close()
    },
  }
}

/** A backend created by {@link createBackend}. */
export type Backend = Awaited<ReturnType<typeof createBackend>>
