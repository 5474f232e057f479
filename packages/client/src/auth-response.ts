import { PresenceClientError } from './errors.js'

/** A retained event as sent in an auth response's `events`. @internal */
export interface RetainedEvent {
  event: string
  data: unknown
}

/** A validated, signed authorization for one channel (extra fields are kept). @internal */
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
 * @param status - the HTTP status, for the error.
 * @returns the payload, or an `INVALID_AUTH_RESPONSE` error naming the missing field.
 * @internal
 */
export function validatePayload(channel: string, body: unknown, status: number): AuthOutcome {
  const b: Json = isObject(body) ? body : {}
  const field =
    typeof b.auth !== 'string'
      ? 'auth'
      : channel.startsWith('presence-') && typeof b.channel_data !== 'string'
        ? 'channel_data'
        : channel.startsWith('private-encrypted-') && typeof b.shared_secret !== 'string'
          ? 'shared_secret'
          : ''
  return field
    ? new PresenceClientError(
        'INVALID_AUTH_RESPONSE',
        `auth response for ${channel} (${status}) lacks "${field}": return the signed payload`,
        { status, channel, field },
      )
    : (b as unknown as AuthPayload)
}

/**
 * Reads a refusal, `{ error: { code, status?, message? } }`.
 *
 * @param channel - the channel name.
 * @param body - the parsed JSON, or `undefined` when the body was not JSON.
 * @param status - the HTTP status, used when the entry has none.
 * @returns the error, or `undefined` when `body` is not a refusal.
 * @internal
 */
export function readRefusal(
  channel: string,
  body: unknown,
  status: number,
): PresenceClientError | undefined {
  const e = isObject(body) && body.error
  if (!isObject(e)) return
  const code = String(e.code ?? 'HTTP_ERROR')
  return new PresenceClientError(code, String(e.message ?? `${channel} refused: ${code}`), {
    status: typeof e.status === 'number' ? e.status : status,
    channel,
  })
}
