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
  const fields = (entry ?? {}) as Record<string, unknown>
  const refusal = fields.error as Record<string, unknown> | undefined
  if (refusal && typeof refusal === 'object') {
    const refusalStatus = refusal.status
    return fail(
      String(refusal.code ?? 'HTTP_ERROR'),
      { status: typeof refusalStatus === 'number' ? refusalStatus : status, channel },
      refusal.message,
    )
  }
  if (!ok) return fail('HTTP_ERROR', { status, channel, url })
  const missing = [
    'auth',
    channel.startsWith('presence-') && 'channel_data',
    channel.startsWith('private-encrypted-') && 'shared_secret',
  ].find((field) => field && typeof fields[field] !== 'string')
  return missing
    ? fail('INVALID_AUTH_RESPONSE', { status, channel, field: missing })
    : (fields as unknown as AuthPayload)
}
