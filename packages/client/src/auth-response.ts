import { PresenceClientError } from './errors.js'

/** A retained event as sent in an auth response's `events`. @internal */
export interface RetainedEvent {
  event: string
  data: unknown
}

/** A validated, signed authorization for one channel. @internal */
export interface AuthPayload {
  auth: string
  channel_data?: string
  shared_secret?: string
  events?: RetainedEvent[]
}

/** The answer for one channel: a payload or an error. @internal */
export type AuthOutcome = AuthPayload | PresenceClientError

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null

/**
 * Checks a 2xx answer for one channel: `auth` always, `channel_data` for
 * presence channels, `shared_secret` for `private-encrypted-` channels.
 *
 * @param channel - the channel name.
 * @param body - the parsed JSON for that channel.
 * @returns the payload, or an `INVALID_AUTH_RESPONSE` error naming the missing field.
 * @internal
 */
export function validatePayload(channel: string, body: unknown, status: number): AuthOutcome {
  const b = isObject(body) ? body : {}
  const field =
    typeof b.auth !== 'string'
      ? 'auth'
      : channel.startsWith('presence-') && typeof b.channel_data !== 'string'
        ? 'channel_data'
        : channel.startsWith('private-encrypted-') && typeof b.shared_secret !== 'string'
          ? 'shared_secret'
          : ''
  if (field) {
    return new PresenceClientError(
      'INVALID_AUTH_RESPONSE',
      `The auth endpoint answered ${status} for ${channel} without "${field}". Return the signed payload (e.g. @presence/server's handlers, or pusher.authorizeChannel(socketId, channel, presenceData)).`,
      { status, channel, field },
    )
  }
  const out: AuthPayload = { auth: b.auth as string }
  if (typeof b.channel_data === 'string') out.channel_data = b.channel_data
  if (typeof b.shared_secret === 'string') out.shared_secret = b.shared_secret
  if (Array.isArray(b.events))
    out.events = b.events.filter(
      (e): e is RetainedEvent => isObject(e) && typeof e.event === 'string',
    )
  return out
}

/**
 * Reads a refusal: `{ error: { code, status?, message? } }` (also accepted:
 * pusher-js-auth's `{ status, data: { error } }`).
 *
 * @param channel - the channel name.
 * @param body - the parsed JSON, or `undefined` when the body was not JSON.
 * @param status - the HTTP status (or the batch entry's).
 * @returns the error, or `undefined` when `body` is not a refusal.
 * @internal
 */
export function readRefusal(
  channel: string,
  body: unknown,
  status: number,
): PresenceClientError | undefined {
  const e = isObject(body)
    ? isObject(body.error)
      ? body.error
      : isObject(body.data) && isObject(body.data.error)
        ? body.data.error
        : undefined
    : undefined
  if (!e) return undefined
  const s =
    typeof e.status === 'number'
      ? e.status
      : isObject(body) && typeof body.status === 'number'
        ? body.status
        : status
  const code = typeof e.code === 'string' ? e.code : 'HTTP_ERROR'
  const message = typeof e.message === 'string' ? e.message : `${channel} refused: ${code} (${s})`
  return new PresenceClientError(code, message, { status: s, channel })
}
