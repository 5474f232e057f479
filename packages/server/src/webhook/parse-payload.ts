import { PresenceError } from '../errors.js'
import type { WebhookEvent } from './types.js'

/** A verified webhook body: Pusher's `{ time_ms, events }`. */
export interface WebhookPayload {
  timeMs: number
  /** The known events, in order; events of other names are dropped. */
  events: WebhookEvent[]
}

const isString = (value: unknown): value is string => typeof value === 'string'
const KNOWN = new Set([
  'channel_occupied',
  'channel_vacated',
  'member_added',
  'member_removed',
  'client_event',
])

function badEvent(index: number, problem: string): PresenceError {
  return new PresenceError('BAD_REQUEST', `webhook events[${index}]: ${problem}`)
}

function checkEvent(value: unknown, index: number): WebhookEvent | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badEvent(index, 'not an object')
  }
  const event = value as Record<string, unknown>
  if (!isString(event.name)) throw badEvent(index, 'no name')
  if (!KNOWN.has(event.name)) return null
  if (!isString(event.channel) || event.channel === '') throw badEvent(index, 'no channel')
  switch (event.name) {
    case 'member_added':
    case 'member_removed':
      if (!isString(event.user_id) || event.user_id === '') throw badEvent(index, 'no user_id')
      break
    case 'client_event':
      if (!isString(event.event)) throw badEvent(index, 'no event name')
      if (!isString(event.data)) {
        // Some servers send the data already decoded: hand it on as the JSON text pusher-js sent.
        event.data = JSON.stringify(event.data ?? null)
      }
      if (event.socket_id !== undefined && !isString(event.socket_id))
        throw badEvent(index, 'bad socket_id')
      if (event.user_id !== undefined && !isString(event.user_id))
        throw badEvent(index, 'bad user_id')
      break
  }
  return event as unknown as WebhookEvent
}

/**
 * Parses and checks a webhook body. The body must already be verified.
 *
 * @param text - the raw body.
 * @returns the time and the known events.
 * @throws PresenceError `BAD_REQUEST` for JSON that is not a Pusher webhook.
 */
export function parseWebhookPayload(text: string): WebhookPayload {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (cause) {
    throw new PresenceError('BAD_REQUEST', 'the webhook body is not JSON', { cause })
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PresenceError('BAD_REQUEST', 'the webhook body is not a JSON object')
  }
  const { time_ms: timeMs, events } = body as { time_ms?: unknown; events?: unknown }
  if (typeof timeMs !== 'number' || !Number.isFinite(timeMs)) {
    throw new PresenceError('BAD_REQUEST', 'the webhook body has no numeric time_ms')
  }
  if (!Array.isArray(events))
    throw new PresenceError('BAD_REQUEST', 'the webhook body has no events array')
  const known: WebhookEvent[] = []
  events.forEach((value, index) => {
    const event = checkEvent(value, index)
    if (event) known.push(event)
  })
  return { timeMs, events: known }
}
