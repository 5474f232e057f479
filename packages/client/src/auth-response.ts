import { fail, type PresenceClientError } from './errors.js'

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

/**
 * Reads the answer for one channel: a refusal `{ error: { code, status?,
 * message? } }` becomes an error with the server's code; a 2xx payload must
 * hold `auth`, `channel_data` for presence channels and `shared_secret` for
 * `private-encrypted-` channels.
 *
 * @param channel - the channel name.
 * @param entry - the parsed JSON for that channel (`undefined` if not JSON).
 * @param res - the HTTP answer (status and `ok`).
 * @param url - the endpoint, for messages.
 * @returns the payload or a typed error (`INVALID_AUTH_RESPONSE` names the missing field).
 * @internal
 */
export function readOutcome(
  channel: string,
  entry: unknown,
  { ok, status }: { ok: boolean; status: number },
  url: string,
): AuthOutcome {
  const b = (entry ?? {}) as Record<string, unknown>
  const e = b.error as Record<string, unknown> | undefined
  if (e && typeof e === 'object') {
    const s = e.status
    return fail(
      String(e.code ?? 'HTTP_ERROR'),
      { status: typeof s === 'number' ? s : status, channel },
      e.message,
    )
  }
  if (!ok) return fail('HTTP_ERROR', { status, channel, url })
  const field = [
    'auth',
    channel.startsWith('presence-') && 'channel_data',
    channel.startsWith('private-encrypted-') && 'shared_secret',
  ].find((f) => f && typeof b[f] !== 'string')
  return field
    ? fail('INVALID_AUTH_RESPONSE', { status, channel, field })
    : (b as unknown as AuthPayload)
}
