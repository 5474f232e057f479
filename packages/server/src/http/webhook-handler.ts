import type { CacheAdapter } from '../cache/types.js'
import { defaultDebug } from '../errors.js'
import { handle } from '../handlers/endpoint.js'
import type { CoreRequest } from '../handlers/request.js'
import { createWebhookEnv, webhookEndpoint } from '../handlers/webhook.js'
import { type PusherLike, toSigner } from '../signer/from-pusher.js'
import type { Signer } from '../signer/signer.js'
import type { Timers } from '../timers.js'
import type { WebhookHandlers } from '../webhook/types.js'
import { CORE_HANDLER, fromFetchRequest } from './fetch.js'

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /** `createSigner({ key, secret })` or a `pusher` instance: the app whose webhooks are accepted. */
  signer: Signer | PusherLike
  /** The typed handlers (and the optional online tracker). @default {} (verify and acknowledge) */
  webhooks?: WebhookHandlers
  /** The cache handed to handlers as `context.cache`. @default undefined */
  cache?: CacheAdapter
  /** Add `message` to error bodies. @default process.env.NODE_ENV === 'development' */
  debug?: boolean
  /** Largest accepted body, in bytes. @default 1_048_576 */
  maxBodyBytes?: number
  /**
   * How far a delivery's `time_ms` may be from now, in ms; beyond, 401
   * `WEBHOOK_EXPIRED`. Deliveries inside the window are handled once each
   * (remembered in `cache` when it has `increment`, else in process).
   * @default 300_000 (5 min)
   */
  maxAgeMs?: number
  /** Clock and timers (`epochMs` is compared with `time_ms`). @default the runtime's */
  timers?: Timers
}

/**
 * A stand-alone webhook endpoint, for apps that receive webhooks without
 * a presence server (with one, use `presence.handlers.webhook`, built from
 * its `webhooks` option). A Fetch handler: Next.js route handlers use it as
 * it is; `toExpress` / `toNodeHandler` adapt it (give it the raw body: mount
 * it before `express.json()`).
 *
 * @param options - signer, handlers, cache.
 * @returns `(request: Request) => Promise<Response>`.
 * @example
 * ```ts
 * // app/api/pusher/webhook/route.ts
 * import { createSigner, createWebhookHandler } from '@presence/server'
 *
 * export const POST = createWebhookHandler({
 *   signer: createSigner({ key: process.env.PUSHER_KEY!, secret: process.env.PUSHER_SECRET! }),
 *   webhooks: {
 *     member_added: async ({ channel, user_id }) => audit.log('joined', channel, user_id),
 *     channel_vacated: async ({ channel }) => rooms.markIdle(channel),
 *   },
 * })
 * ```
 */
export function createWebhookHandler(
  options: WebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  const webhook = webhookEndpoint(
    createWebhookEnv({
      signer: toSigner(options.signer),
      cache: options.cache,
      webhooks: options.webhooks,
      debug: options.debug ?? defaultDebug(),
      maxBodyBytes: options.maxBodyBytes,
      maxAgeMs: options.maxAgeMs,
      timers: options.timers,
    }),
  )
  const core = (request: CoreRequest) => handle(webhook, request)
  const handler = async (request: Request): Promise<Response> => {
    const answer = await core(fromFetchRequest(request))
    return new Response(answer.body, {
      status: answer.status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        ...answer.headers,
      },
    })
  }
  return Object.assign(handler, { [CORE_HANDLER]: core })
}
