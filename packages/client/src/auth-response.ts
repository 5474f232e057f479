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
    const code = String(e.code ?? 'HTTP_ERROR')
    return new PresenceClientError(code, String(e.message ?? `${channel} refused: ${code}`), {
      status: typeof e.status === 'number' ? e.status : status,
      channel,
    })
  }
  if (!ok)
    return new PresenceClientError('HTTP_ERROR', `${url} answered ${status}`, { status, channel })
  const field = [
    'auth',
    channel.startsWith('presence-') && 'channel_data',
    channel.startsWith('private-encrypted-') && 'shared_secret',
  ].find((f) => f && typeof b[f] !== 'string')
  return field
    ? new PresenceClientError(
        'INVALID_AUTH_RESPONSE',
        `auth response for ${channel} (${status}) lacks "${field}": return the signed payload`,
        { status, channel, field },
      )
    : (b as unknown as AuthPayload)
}
