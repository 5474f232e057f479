import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner, type DecisionEvent } from '@presence/server'
import { toExpress } from '@presence/server/express'
import express from 'express'
import Pusher from 'pusher'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import { appSession } from './app-session.js'
import { SESSION_COOKIE, signSessionCookie } from './cookie-session.js'
import { exactOriginCors } from './cors.js'
import { type ExampleDatabase, openDatabase } from './db.js'
import { seedDemoData } from './demo-data.js'
import { type LoggedRequest, requestLog } from './request-log.js'
import { SESSION_CHANNEL_PATTERN, sessionChannel } from './session-channel.js'
import { sessionsRoutes } from './sessions-routes.js'
import { mintAccessToken } from './tokens.js'

/** Options of {@link createBackend}. */
export interface BackendConfig {
  /** The Pusher-protocol server (soketi, Sockudo, Pusher Channels), as the `pusher` SDK takes it. */
  pusher: Pusher.Options
  /** HMAC secret of the extension's access tokens (HS256). */
  jwtSecret: string
  /** HMAC secret of the web app's session cookie. */
  cookieSecret: string
  /**
   * Origins allowed to call the API from a browser: exact matches only.
   * @default [`chrome-extension://<this extension's id>`]
   */
  allowedOrigins?: readonly string[]
  /**
   * An open database, or a file to open (created and filled with the demo data when new).
   * @default ':memory:' with the demo data
   */
  database?: ExampleDatabase | string
  /**
   * Error bodies carry `message` and the decision `trace` (the original app's dev-only JSON 403s).
   * @default process.env.NODE_ENV === 'development'
   */
  debug?: boolean
  /**
   * Serve `POST /api/dev/token` and `POST /api/dev/login` (mint a Bearer token / set a cookie
   * for any demo user). Never in production.
   * @default the value of `debug`
   */
  devRoutes?: boolean
  /** Called once per channel decision of the auth route (logs, counters). */
  onDecision?: (event: DecisionEvent) => void
}

function openConfiguredDatabase(database: BackendConfig['database']): ExampleDatabase {
  if (database !== undefined && typeof database !== 'string') return database
  const db = openDatabase(database ?? ':memory:')
  const empty = db.sqlite.prepare('select count(*) as n from users').get() as { n: number }
  if (empty.n === 0) seedDemoData(db)
  return db
}

/**
 * The original app's backend: Express 5 with
 *
 * - `POST /api/pusher/auth`: `@presence/server` with `firstOf(bearerJwt, cookie)` +
 *   `withTenant`, one `private-session-{sessionId}` definition, CORS for exactly the
 *   extension's origin, debug traces in development;
 * - `GET|POST|PATCH /api/sessions[/:id]`: the polling fallback and session updates (PATCH
 *   triggers `session-updated` on the session's channel);
 * - `POST /api/dev/token`, `POST /api/dev/login` when `devRoutes` is on.
 *
 * @param config - see {@link BackendConfig}
 * @returns the Express app, its database, `pusher` SDK instance, request log and `listen()`
 * @example
 * const backend = createBackend({ pusher: soketi.pusherOptions, jwtSecret, cookieSecret, debug: true })
 * const { url, close } = await backend.listen(3000)
 */
export function createBackend(config: BackendConfig) {
  const debug = config.debug ?? process.env.NODE_ENV === 'development'
  const devRoutes = config.devRoutes ?? debug
  const allowedOrigins = config.allowedOrigins ?? [EXTENSION_ORIGIN]
  const db = openConfiguredDatabase(config.database)
  const ownsDatabase = typeof config.database !== 'object'
  const jwtSecret = new TextEncoder().encode(config.jwtSecret)
  const session = appSession(db, { jwt: jwtSecret, cookie: config.cookieSecret })
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

  const requests: LoggedRequest[] = []
  const app = express()
  app.disable('x-powered-by')
  app.use(requestLog(requests))
  // The presence handler answers its own preflights and sets its own CORS headers.
  app.all('/api/pusher/auth', toExpress(presence.handlers.auth))
  app.use('/api/sessions', exactOriginCors(allowedOrigins))
  app.use('/api/sessions', sessionsRoutes({ db, session, pusher, debug }))

  const mintToken = (userId: string, organizationId?: string) =>
    mintAccessToken(jwtSecret, organizationId ? { userId, organizationId } : { userId })

  if (devRoutes) {
    app.use('/api/dev', express.json({ limit: '4kb' }))
    app.post('/api/dev/token', async (req, res) => {
      const { userId, organizationId } = (req.body ?? {}) as Record<string, unknown>
      if (typeof userId !== 'string' || !db.userExists(userId)) {
        res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'unknown userId' } })
        return
      }
      const org = typeof organizationId === 'string' ? organizationId : undefined
      res.json({ accessToken: await mintToken(userId, org) })
    })
    app.post('/api/dev/login', (req, res) => {
      const { userId, organizationId } = (req.body ?? {}) as Record<string, unknown>
      if (typeof userId !== 'string' || !db.userExists(userId)) {
        res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'unknown userId' } })
        return
      }
      const org = typeof organizationId === 'string' ? organizationId : null
      const auth = db.createAuthSession(userId, org)
      res.cookie(SESSION_COOKIE, signSessionCookie(auth.token, config.cookieSecret), {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
      })
      res.status(204).end()
    })
  }

  return {
    app,
    db,
    pusher,
    presence,
    /** Every request answered so far, oldest first. */
    requests,
    /** Mints a Bearer token for a user (and active organization). */
    mintToken,
    /** The cookie header value of a fresh web-app session for a user. */
    loginCookie(userId: string, organizationId: string | null = null): string {
      const auth = db.createAuthSession(userId, organizationId)
      return `${SESSION_COOKIE}=${signSessionCookie(auth.token, config.cookieSecret)}`
    },
    /**
     * Listens on `host:port` (port 0: a free one).
     * @returns the base URL and `close()`, which also closes a database the backend opened
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
                server.close((error) => {
                  if (ownsDatabase) db.close()
                  if (error) fail(error)
                  else done()
                })
              }),
          })
        })
      })
    },
  }
}

/** A backend created by {@link createBackend}. */
export type Backend = ReturnType<typeof createBackend>
