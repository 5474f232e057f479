import type { CacheAdapter } from '../cache/types.js'
import type { PresenceMember } from '../channel/definition.js'
import { parseChannel } from '../channel/name.js'
import { PresenceError } from '../errors.js'
import { DEFAULT_CACHE_TIMEOUT_MS, grantCacheKey, readPermit } from '../pipeline/grant-cache.js'
import type { Signer } from '../signer/signer.js'
import { systemTimers, type Timers } from '../timers.js'
import { parseWebhookPayload } from '../webhook/parse-payload.js'
import {
  assertFresh,
  createDeliveryLog,
  DEFAULT_WEBHOOK_MAX_AGE_MS,
  type DeliveryLog,
} from '../webhook/replay-guard.js'
import type {
  WebhookContext,
  WebhookEvent,
  WebhookHandler,
  WebhookHandlers,
} from '../webhook/types.js'
import { type HttpAnswer, ok } from './answer.js'
import { type Endpoint, endpoint, type RequestStart } from './endpoint.js'
import { DEFAULT_BODY_TIMEOUT_MS } from './request.js'

/** Everything the webhook decision reads. @internal */
export interface WebhookEnv {
  readonly signer: Signer
  readonly cache: CacheAdapter | undefined
  readonly handlers: WebhookHandlers
  readonly debug: boolean
  readonly maxBodyBytes: number
  readonly cacheTimeoutMs: number
  readonly bodyTimeoutMs: number
  readonly timers: Timers
  /** How far `time_ms` may be from now (401 `WEBHOOK_EXPIRED` beyond). */
  readonly maxAgeMs: number
  /** The deliveries already handled (one run of the handlers per delivery). */
  readonly deliveries: DeliveryLog
}

/** Webhook batches carry up to hundreds of events (client events up to 10 KB each). */
const DEFAULT_WEBHOOK_MAX_BYTES = 1_048_576

const EVENT_NAMES = [
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
]

/**
 * Checks the `webhooks` option and builds the environment of {@link webhookEndpoint}.
 * @internal
 */
export function createWebhookEnv(input: {
  signer: Signer
  cache?: CacheAdapter | undefined
  webhooks?: WebhookHandlers | undefined
  debug: boolean
  maxBodyBytes?: number | undefined
  cacheTimeoutMs?: number | undefined
  bodyTimeoutMs?: number | undefined
  timers?: Timers | undefined
  maxAgeMs?: number | undefined
}): WebhookEnv {
  const handlers = input.webhooks ?? {}
  if (handlers === null || typeof handlers !== 'object') {
    throw new PresenceError(
      'CONFIG_INVALID',
      'webhooks is an object of handlers keyed by event name',
    )
  }
  for (const [name, value] of Object.entries(handlers)) {
    if (name === 'online') continue
    if (name === 'onError' || EVENT_NAMES.includes(name)) {
      if (value !== undefined && typeof value !== 'function') {
        throw new PresenceError('CONFIG_INVALID', `webhooks.${name} must be a function`)
      }
      continue
    }
    throw new PresenceError(
      'CONFIG_INVALID',
      `webhooks.${name} is not a webhook event; use one of ${EVENT_NAMES.join(', ')}, online or onError`,
    )
  }
  const maxAgeMs = input.maxAgeMs ?? DEFAULT_WEBHOOK_MAX_AGE_MS
  if (!(maxAgeMs > 0) || !Number.isFinite(maxAgeMs)) {
    throw new PresenceError('CONFIG_INVALID', 'the webhook max age must be a positive number of ms')
  }
  const timers = input.timers ?? systemTimers
  return {
    signer: input.signer,
    cache: input.cache,
    handlers,
    debug: input.debug,
    maxBodyBytes: input.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BYTES,
    cacheTimeoutMs: input.cacheTimeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS,
    bodyTimeoutMs: input.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    timers,
    maxAgeMs,
    deliveries: createDeliveryLog(input.cache, () => timers.now()),
  }
}

function bodyAlreadyParsed(): PresenceError {
  return new PresenceError(
    'WEBHOOK_BODY_PARSED',
    'the webhook body was already parsed into an object (e.g. express.json() ran first), so its signature ' +
      'cannot be checked: mount the webhook route before body parsers, or give it express.raw({ type: "application/json" })',
    { status: 500 },
  )
}

function contextFor(env: WebhookEnv, event: WebhookEvent, timeMs: number): WebhookContext {
  let channel: WebhookContext['channel'] = null
  try {
    channel = parseChannel(event.channel)
  } catch {
    channel = null
  }
  return {
    cache: env.cache,
    channel,
    timeMs,
    online: env.handlers.online,
    async cachedMember(): Promise<PresenceMember | null> {
      if (!env.cache || channel?.type !== 'presence' || !('user_id' in event) || !event.user_id)
        return null
      const read = await readPermit(
        { cache: env.cache, timeoutMs: env.cacheTimeoutMs, timers: env.timers },
        grantCacheKey(channel.name, event.user_id),
      )
      return read.kind === 'hit' ? (read.permit.member ?? null) : null
    },
  }
}

async function track(env: WebhookEnv, events: WebhookEvent[], deliveryId: string): Promise<void> {
  const online = env.handlers.online
  if (!online || !events.some((e) => e.name === 'member_added' || e.name === 'member_removed'))
    return
  if (!(await online.firstDelivery(deliveryId))) return
  try {
    for (const event of events) {
      if (event.name === 'member_added') await online.memberAdded(event.channel, event.user_id)
      if (event.name === 'member_removed') await online.memberRemoved(event.channel, event.user_id)
    }
  } catch (error) {
    await online.forgetDelivery(deliveryId).catch(() => {})
    throw error
  }
}

/** Whether the delivery is new; a log that cannot answer refuses the delivery (the sender retries). */
async function firstDelivery(env: WebhookEnv, deliveryId: string): Promise<boolean> {
  try {
    return await env.deliveries.first(deliveryId, 2 * env.maxAgeMs)
  } catch (cause) {
    throw new PresenceError('UNAVAILABLE', 'the webhook delivery log (the cache) failed', {
      cause,
    })
  }
}

/**
 * Answers a webhook delivery: `POST` only; the raw body is verified against
 * `X-Pusher-Key` / `X-Pusher-Signature` in constant time before anything is
 * parsed (401 `WEBHOOK_SIGNATURE_INVALID`); bad JSON is 400 `BAD_REQUEST`;
 * a framework-parsed body is 500 `WEBHOOK_BODY_PARSED`; a `time_ms` more than
 * `maxAgeMs` from now is 401 `WEBHOOK_EXPIRED`; a delivery already handled is
 * acknowledged (200, `duplicate: true`) without running anything. Then the online
 * tracker is updated and each event goes, in order, to its handler. A
 * failing handler (or tracker) makes the answer 500 so the sender retries.
 * @internal
 */
export function webhookEndpoint(env: WebhookEnv): Endpoint {
  // server to server: no preflight
  return endpoint(env, { methods: ['POST'], browser: false, answer: answerWebhook })
}

async function answerWebhook(env: WebhookEnv, { request }: RequestStart): Promise<HttpAnswer> {
  if (request.parsedBody !== undefined) throw bodyAlreadyParsed()
  const raw = await request.readBody(env.maxBodyBytes, env.bodyTimeoutMs)
  if (typeof raw !== 'string') throw bodyAlreadyParsed()
  if (!(await env.signer.verifyWebhook(request.headers, raw))) {
    throw new PresenceError(
      'WEBHOOK_SIGNATURE_INVALID',
      'X-Pusher-Key / X-Pusher-Signature do not match this app key and the HMAC-SHA256 of the raw body with its secret',
      { status: 401 },
    )
  }
  const payload = parseWebhookPayload(raw)
  assertFresh(payload.timeMs, env.timers.epochMs?.() ?? Date.now(), env.maxAgeMs)
  // The verified signature identifies the body. Remembered for twice the window: a delivery
  // dated at the window's future edge stays acceptable that long.
  const deliveryId = (request.headers.get('x-pusher-signature') ?? '').toLowerCase()
  if (!(await firstDelivery(env, deliveryId))) {
    return ok({ ok: true, events: payload.events.length, duplicate: true })
  }
  const failures: unknown[] = []
  const report = (error: unknown, event: WebhookEvent) => {
    failures.push(error)
    try {
      env.handlers.onError?.(error, event)
    } catch {
      // onError must not break delivery.
    }
  }
  const first = payload.events[0]
  if (first) {
    await track(env, payload.events, deliveryId).catch((error) => report(error, first))
  }
  for (const event of payload.events) {
    const onEvent = env.handlers[event.name] as WebhookHandler<typeof event> | undefined
    if (!onEvent) continue
    try {
      await onEvent(event, contextFor(env, event, payload.timeMs))
    } catch (error) {
      report(error, event)
    }
  }
  if (failures.length > 0) {
    await env.deliveries.forget(deliveryId).catch(() => {})
    throw new PresenceError(
      'INTERNAL',
      `${failures.length} webhook handler(s) failed; see onError`,
      {
        cause: failures[0],
      },
    )
  }
  return ok({ ok: true, events: payload.events.length })
}
