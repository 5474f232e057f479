import type { ChannelEnv } from './authorize-channel.js'
import { createCors } from './cors.js'
import { decideAuth } from './decide-auth.js'
import { decideBatch } from './decide-batch.js'
import { decideUserAuth } from './decide-user.js'
import type { CoreEnv, HttpDecision } from './decision.js'
import type { ChannelDefinition } from './definition.js'
import { PresenceError } from './errors.js'
import type { PresenceServerOptions } from './options.js'
import { createRegistry } from './registry.js'
import { type CoreRequest, fromFetchRequest } from './request.js'
import type { Session, SessionAdapter } from './session/types.js'
import { toSigner } from './signer/from-pusher.js'
import type { Signer } from './signer/signer.js'
import { systemTimers } from './timers.js'
import { createWebhookEnv, decideWebhook } from './webhook/decide-webhook.js'

/** A Fetch API handler: Next.js route handlers, Hono, Bun, Deno use it as is. */
export type FetchHandler = (request: Request) => Promise<Response>

/** The key under which a handler exposes its core to the Node and Express adapters. @internal */
export const CORE_HANDLER = Symbol.for('@presence/server.core')

/** Answers a {@link CoreRequest} with plain values (no Fetch objects). @internal */
export type CoreHandler = (request: CoreRequest) => Promise<HttpDecision>

/** A handler with its core attached. */
export type PresenceHandler = FetchHandler & { readonly [CORE_HANDLER]?: CoreHandler }

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
  /** Fetch handlers; adapt with `toExpress` / `toNodeHandler`. */
  readonly handlers: PresenceHandlers
  /** The signer in use. */
  readonly signer: Signer
  /** Whether error bodies carry messages and traces. */
  readonly debug: boolean
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) {
    throw new PresenceError('CONFIG_INVALID', `limits.${name} must be a positive integer`)
  }
  return value
}

function defaultDebug(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env
  return env?.NODE_ENV === 'development'
}

/**
 * Creates the presence server: a channel registry, a signer and a session
 * adapter behind Fetch handlers.
 *
 * @param options - see {@link PresenceServerOptions}.
 * @returns `{ handlers: { auth, batch, userAuth, webhook }, signer, debug }`.
 * @throws PresenceError `CONFIG_INVALID` for a malformed or overlapping channel definition,
 *   a missing session adapter or signer, or a bad CORS origin.
 * @example
 * ```ts
 * // app/api/pusher/auth/route.ts (Next.js)
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
 * export const POST = presence.handlers.auth
 * ```
 */
export function createPresenceServer<K extends string, S extends Session = Session>(
  options: PresenceServerOptions<K, S>,
): PresenceServer {
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
  const registry = createRegistry(options.channels as Record<string, ChannelDefinition>)
  const debug = options.debug ?? defaultDebug()
  const cors = createCors(options.cors)
  const limits = options.limits ?? {}
  const retain = options.retain ?? []
  if (!Array.isArray(retain) || retain.some((provider) => typeof provider !== 'function')) {
    throw new PresenceError('CONFIG_INVALID', 'retain is a list of provider functions')
  }
  const channelEnv: ChannelEnv = {
    registry,
    signer,
    cache: options.cache,
    cacheTimeoutMs: positiveInteger(limits.cacheTimeoutMs, 100, 'cacheTimeoutMs'),
    retain,
    timers: options.timers ?? systemTimers,
    debug,
    onDecision: options.onDecision,
  }
  const env: CoreEnv = {
    ...channelEnv,
    session: options.session as SessionAdapter,
    clientId: options.clientId,
    maxChannels: positiveInteger(limits.maxChannels, 100, 'maxChannels'),
    maxBodyBytes: positiveInteger(limits.maxBodyBytes, 65_536, 'maxBodyBytes'),
    concurrency: positiveInteger(limits.concurrency, 16, 'concurrency'),
    userData: options.userData as CoreEnv['userData'],
  }
  const webhookEnv = createWebhookEnv({
    signer,
    cache: options.cache,
    webhooks: options.webhooks,
    debug,
    cacheTimeoutMs: channelEnv.cacheTimeoutMs,
    timers: channelEnv.timers,
  })
  const baseHeaders: Record<string, string> = {
    ...options.responseHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  }

  const withHttp =
    (decide: (env: CoreEnv, request: CoreRequest) => Promise<HttpDecision>): CoreHandler =>
    async (request) => {
      const origin = cors ? request.headers.get('origin') : null
      if (request.method === 'OPTIONS') {
        const preflight = cors?.preflight(origin) ?? null
        if (preflight)
          return { status: 204, body: '', headers: { ...options.responseHeaders, ...preflight } }
        const denied = await decide(env, request)
        return {
          ...denied,
          headers: { ...baseHeaders, ...denied.headers, ...cors?.headers(origin) },
        }
      }
      const decision = await decide(env, request)
      return {
        ...decision,
        headers: decision.headers
          ? { ...baseHeaders, ...decision.headers, ...cors?.headers(origin) }
          : cors
            ? { ...baseHeaders, ...cors.headers(origin) }
            : baseHeaders,
      }
    }

  const toFetch = (core: CoreHandler): PresenceHandler => {
    const handler = async (request: Request) => {
      const decision = await core(fromFetchRequest(request))
      return new Response(decision.status === 204 ? null : decision.body, {
        status: decision.status,
        headers: decision.headers ?? baseHeaders,
      })
    }
    return Object.assign(handler, { [CORE_HANDLER]: core })
  }

  return {
    signer,
    debug,
    handlers: {
      auth: toFetch(withHttp(decideAuth)),
      batch: toFetch(withHttp(decideBatch)),
      userAuth: toFetch(withHttp(decideUserAuth)),
      webhook: toFetch(withHttp((_env, request) => decideWebhook(webhookEnv, request))),
    },
  }
}
