import type { ChannelDefinition } from './channel/definition.js'
import { createRegistry } from './channel/registry.js'
import { defaultDebug, PresenceError } from './errors.js'
import { authEndpoint } from './handlers/auth.js'
import { batchEndpoint } from './handlers/batch.js'
import type { CoreEnv } from './handlers/endpoint.js'
import { DEFAULT_BODY_TIMEOUT_MS } from './handlers/request.js'
import { type EndpointName, type HANDLER_PATHS, notFoundAnswer } from './handlers/route.js'
import { userAuthEndpoint } from './handlers/user-auth.js'
import { createWebhookEnv, webhookEndpoint } from './handlers/webhook.js'
import { createCors } from './http/cors.js'
import { type PresenceHandler, toFetchHandler } from './http/fetch.js'
import { type ServeEnv, serve } from './http/serve.js'
import type { PresenceServerOptions } from './options.js'
import { createPermitWriter, DEFAULT_CACHE_TIMEOUT_MS } from './pipeline/grant-cache.js'
import { AuthorizerSlots } from './pipeline/lanes.js'
import { createRevokeUser, type RestClient, type RevokeResult } from './revocation.js'
import type { Session, SessionAdapter } from './session/types.js'
import { toSigner } from './signer/from-pusher.js'
import type { Signer } from './signer/signer.js'
import { systemTimers } from './timers.js'

export type { FetchHandler, PresenceHandler } from './http/fetch.js'

/** The handlers of a presence server. */
export interface PresenceHandlers {
  /** pusher-js channel authorization (`POST socket_id, channel_name`). */
  auth: PresenceHandler
  /** Batch authorization (GET `?socket_id&channels`, POST JSON, POST pusher-js-auth form). */
  batch: PresenceHandler
  /** pusher-js `signin()` user authentication. */
  userAuth: PresenceHandler
  /** Pusher-protocol webhooks: verified, then dispatched to the `webhooks` option's handlers. */
  webhook: PresenceHandler
}

/** A presence server: its handlers and the parts they use. */
export interface PresenceServer {
  /**
   * One Fetch handler for every endpoint, dispatching on the path's last segment
   * ({@link HANDLER_PATHS}): `…/auth`, `…/batch`, `…/user-auth` and `…/webhook`; any other
   * path answers 404 `NOT_FOUND`. Mount it once: a Next.js catch-all route
   * (`app/api/pusher/[...presence]/route.ts`) or `app.use('/pusher', toExpress(presence.handler))`.
   */
  readonly handler: PresenceHandler
  /** The same endpoints as one Fetch handler each; adapt with `toExpress` / `toNodeHandler`. */
  readonly handlers: PresenceHandlers
  /** The signer in use. */
  readonly signer: Signer
  /** Whether error bodies carry messages and traces. */
  readonly debug: boolean
  /**
   * Ends a user's access at once, after the app revoked their session or access: every grant
   * cached for the user (`scope: 'user'`) becomes unusable on every instance sharing the
   * cache, whatever its ttl, and the websocket server closes every connection signed in as
   * the user (the `rest` option's `terminateUserConnections`), so they leave every channel.
   * Their client connects again and is answered by the normal rules. Idempotent.
   *
   * @param userId - the user's id, as the session adapter gives it (`session.userId`).
   * @returns what was done.
   * @throws PresenceError `REVOKE_FAILED` (502) when the REST call or the cache failed (the
   *   cache part is applied even when the REST call fails; call it again),
   *   `CONFIG_INVALID` without `rest` (after revoking the cached grants), `BAD_REQUEST` for an
   *   empty id.
   * @example
   * ```ts
   * await sessions.revokeAll(userId) // the app's own revocation first
   * await presence.revokeUser(userId) // then what is already open
   * ```
   */
  revokeUser(userId: string): Promise<RevokeResult>
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) {
    throw new PresenceError('CONFIG_INVALID', `limits.${name} must be a positive integer`)
  }
  return value
}

/**
 * Creates the presence server: a channel registry, a signer and a session
 * adapter behind Fetch handlers.
 *
 * @typeParam K - the channel patterns.
 * @typeParam S - the session type of `options.session`: types `ctx.user`.
 * @typeParam C - pattern → the definition's `cache` option as written (inferred): under
 *   `scope: 'channel'` the authorizer's `ctx` has no `user`.
 * @param options - see {@link PresenceServerOptions}.
 * @returns `{ handler, handlers: { auth, batch, userAuth, webhook }, signer, debug, revokeUser }`.
 * @throws PresenceError `CONFIG_INVALID` for a malformed or overlapping channel definition,
 *   a missing session adapter or signer, or a bad CORS origin.
 * @example
 * ```ts
 * // app/api/pusher/[...presence]/route.ts (Next.js: one route for every endpoint)
 * import { createPresenceServer, createSigner, deny } from '@presence/server'
 *
 * const presence = createPresenceServer({
 *   signer: createSigner({ key: process.env.PUSHER_KEY!, secret: process.env.PUSHER_SECRET! }),
 *   session: async (request) => getSession(request.headers),
 *   channels: {
 *     'presence-messenger': ({ user }) => ({ user_id: user.userId, user_info: { name: user.name } }),
 *     'private-session-{sessionId}': async ({ user, params }) => {
 *       const doc = await db.session.find(params.sessionId, user.tenantId)
 *       if (!doc) return deny('SESSION_NOT_FOUND')
 *       return doc.userId === user.userId || deny('USER_MISMATCH')
 *     },
 *   },
 * })
 * export const GET = presence.handler
 * export const POST = presence.handler
 * ```
 */
export function createPresenceServer<
  K extends string,
  S extends Session = Session,
  C = Record<K, unknown>,
>(options: PresenceServerOptions<K, S, C>): PresenceServer {
  if (options === null || typeof options !== 'object') {
    throw new PresenceError('CONFIG_INVALID', 'createPresenceServer needs an options object')
  }
  if (typeof options.session !== 'function') {
    throw new PresenceError(
      'CONFIG_INVALID',
      'session must be a session adapter: (request) => Session | null (see @presence/server/session)',
    )
  }
  const signer = toSigner(options.signer)
  const debug = options.debug ?? defaultDebug()
  const env = coreEnv(options, { signer, debug })
  const server: ServeEnv = {
    endpoints: {
      auth: authEndpoint(env),
      batch: batchEndpoint(env),
      userAuth: userAuthEndpoint(env),
      webhook: webhookEndpoint(
        createWebhookEnv({
          signer,
          cache: options.cache,
          webhooks: options.webhooks,
          debug,
          cacheTimeoutMs: env.cacheTimeoutMs,
          bodyTimeoutMs: env.bodyTimeoutMs,
          timers: env.timers,
          maxAgeMs: positiveInteger(options.limits?.webhookMaxAgeMs, 300_000, 'webhookMaxAgeMs'),
        }),
      ),
    },
    notFound: notFoundAnswer(debug),
    cors: createCors(options.cors),
    responseHeaders: options.responseHeaders,
    baseHeaders: {
      ...options.responseHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    },
  }
  const toFetch = (name: EndpointName | null): PresenceHandler =>
    toFetchHandler((request) => serve(server, request, name), server.baseHeaders)
  return {
    signer,
    debug,
    revokeUser: createRevokeUser({
      cache: options.cache,
      rest: restClient(options.rest),
      timers: env.timers,
    }),
    handler: toFetch(null),
    handlers: {
      auth: toFetch('auth'),
      batch: toFetch('batch'),
      userAuth: toFetch('userAuth'),
      webhook: toFetch('webhook'),
    },
  }
}

/** The `rest` option, checked: a `pusher` instance (v5.1+ has `terminateUserConnections`). */
function restClient(rest: RestClient | undefined): RestClient | undefined {
  if (rest !== undefined && typeof rest?.terminateUserConnections !== 'function') {
    throw new PresenceError(
      'CONFIG_INVALID',
      'rest must be a pusher instance (new Pusher({ appId, key, secret, ... })), v5.1 or later',
    )
  }
  return rest
}

/** The parts the auth, batch and user-auth endpoints read, from the options (limits checked). */
function coreEnv<K extends string, S extends Session, C>(
  options: PresenceServerOptions<K, S, C>,
  { signer, debug }: { signer: Signer; debug: boolean },
): CoreEnv {
  const limits = options.limits ?? {}
  const retain = options.retain ?? []
  if (!Array.isArray(retain) || retain.some((provider) => typeof provider !== 'function')) {
    throw new PresenceError('CONFIG_INVALID', 'retain is a list of provider functions')
  }
  const timers = options.timers ?? systemTimers
  const cacheTimeoutMs = positiveInteger(
    limits.cacheTimeoutMs,
    DEFAULT_CACHE_TIMEOUT_MS,
    'cacheTimeoutMs',
  )
  const maxInFlight = positiveInteger(limits.maxInFlight, 256, 'maxInFlight')
  const maxCacheWrites = positiveInteger(
    limits.maxCacheWritesInFlight,
    100,
    'maxCacheWritesInFlight',
  )
  return {
    registry: createRegistry(options.channels as Record<string, ChannelDefinition>),
    signer,
    cache: options.cache,
    cacheWriter: options.cache
      ? createPermitWriter(
          { cache: options.cache, timeoutMs: cacheTimeoutMs, timers },
          maxCacheWrites,
        )
      : undefined,
    cacheTimeoutMs,
    retain: retain as CoreEnv['retain'],
    timers,
    debug,
    onDecision: options.onDecision,
    session: options.session as SessionAdapter,
    clientId: options.clientId,
    maxChannels: positiveInteger(limits.maxChannels, 100, 'maxChannels'),
    maxBodyBytes: positiveInteger(limits.maxBodyBytes, 65_536, 'maxBodyBytes'),
    bodyTimeoutMs: positiveInteger(limits.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'bodyTimeoutMs'),
    concurrency: positiveInteger(limits.concurrency, 16, 'concurrency'),
    slots: new AuthorizerSlots(
      {
        maxInFlight,
        maxAbandoned: positiveInteger(limits.maxAbandoned, maxInFlight, 'maxAbandoned'),
      },
      timers,
    ),
    userData: options.userData as CoreEnv['userData'],
  }
}
