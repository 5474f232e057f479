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

/** A plain JSON object (what `JSON.parse` gives for `{…}`), or `undefined`. */
const objectOr = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/**
 * Reads the answer for one channel: a refusal `{ error: { code, status?,
 * message? } }` becomes an error with the server's code; a 2xx payload must
 * hold `auth`, `channel_data` for presence channels and `shared_secret` for
 * `private-encrypted-` channels.
 *
 * The answer is untrusted input: only a string `code` and `message` and an
 * integer `status` are read from a refusal (nothing is converted with
 * `String()`, which runs whatever `toString` a hostile answer carries); a
 * refusal whose code is not a string is `INVALID_AUTH_RESPONSE` (field
 * `error.code`). Never throws, so every channel of a batch is answered.
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
  const fields = objectOr(entry) ?? {}
  const refusal = objectOr(fields.error)
  if (refusal) {
    const code = refusal.code === undefined ? 'HTTP_ERROR' : refusal.code
    const refusalStatus =
      Number.isInteger(refusal.status) && (refusal.status as number) >= 0
        ? (refusal.status as number)
        : status
    if (typeof code !== 'string' || code === '') {
      return fail('INVALID_AUTH_RESPONSE', { status: refusalStatus, channel, field: 'error.code' })
    }
    const message = typeof refusal.message === 'string' ? refusal.message : undefined
    return fail(code, { status: refusalStatus, channel }, message)
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
