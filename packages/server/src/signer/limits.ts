import { channelNameProblem } from '../channel/name.js'
import { PresenceError } from '../errors.js'

/** Pusher's socket id shape `digits.digits` (`/^\d+\.\d+$/`), checked without a regex on the hot path. */
function isSocketIdShape(id: string): boolean {
  let dot = -1
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i)
    if (code === 46) {
      if (dot !== -1) return false
      dot = i
    } else if (code < 48 || code > 57) return false
  }
  return dot > 0 && dot < id.length - 1
}

/** The longest presence `user_id` accepted. */
export const MAX_USER_ID_LENGTH = 128
/** The default limit on the serialized presence `channel_data`, in bytes. */
export const DEFAULT_MAX_CHANNEL_DATA_BYTES = 2048
/**
 * The default limit on the serialized sign-in `user_data`, in bytes: room for an id,
 * `user_info` and a watchlist of 100 ids, well under the websocket message limits of
 * Pusher-protocol servers (the data travels in the `pusher:signin` message).
 */
export const DEFAULT_MAX_USER_DATA_BYTES = 8192

/**
 * Why `socketId` is not a Pusher socket id, or `null` when it is.
 * @param socketId - anything.
 * @returns a message, or `null`.
 */
export function socketIdProblem(socketId: unknown): string | null {
  if (typeof socketId !== 'string' || socketId === '') return 'socket_id is missing'
  if (socketId.length > 64 || !isSocketIdShape(socketId)) {
    return `socket_id ${JSON.stringify(socketId.slice(0, 40))} is not a Pusher socket id (digits.digits)`
  }
  return null
}

/**
 * Throws `BAD_REQUEST` unless `socketId` and `channel` are valid.
 * @param socketId - the socket id.
 * @param channel - the channel name.
 * @internal
 */
export function assertSignable(socketId: unknown, channel: unknown): void {
  const problem = socketIdProblem(socketId) ?? channelNameProblem(channel)
  if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
}

/** Presence member data, as signed into `channel_data`. */
export interface PresenceUserData {
  /** The member's id: a non-empty string of at most 128 characters. */
  user_id: string
  /** Public member info, visible to every member of the channel. */
  user_info?: unknown
}

const encoder = new TextEncoder()

/**
 * Serializes sign-in user data after checking its id and size.
 * @param data - the user data (`{ id, ... }`).
 * @param maxBytes - the limit on the serialized size.
 * @returns the JSON string to sign.
 * @throws PresenceError `USER_DATA_INVALID` without a non-empty string id, for data that is not
 *   JSON, or past the limit.
 * @internal
 */
export function serializeUserData(data: unknown, maxBytes: number): string {
  if (data === null || typeof data !== 'object') {
    throw new PresenceError('USER_DATA_INVALID', 'user data must be an object with an id')
  }
  const id = (data as { id?: unknown }).id
  if (typeof id !== 'string' || id === '') {
    throw new PresenceError('USER_DATA_INVALID', 'user data id must be a non-empty string')
  }
  let json: string
  try {
    json = JSON.stringify(data)
  } catch (cause) {
    throw new PresenceError('USER_DATA_INVALID', 'user data is not JSON-serializable', { cause })
  }
  const size = json.length <= maxBytes / 3 ? json.length : encoder.encode(json).byteLength
  if (size > maxBytes) {
    throw new PresenceError(
      'USER_DATA_INVALID',
      `sign-in user_data is ${size} bytes; the limit (maxUserDataBytes) is ${maxBytes}. Keep ` +
        'user_data to the id and what the websocket server needs; fetch the rest from your API.',
    )
  }
  return json
}

/**
 * Serializes presence data after checking the limits Pusher enforces, so a
 * mistake is found here with a clear message rather than as a silent
 * subscription error on the websocket.
 * @param data - the presence data.
 * @param maxBytes - the limit on the serialized size.
 * @returns the JSON string to sign.
 * @throws PresenceError `USER_DATA_INVALID` naming the broken limit.
 * @internal
 */
export function serializePresenceData(data: unknown, maxBytes: number): string {
  if (data === null || typeof data !== 'object') {
    throw new PresenceError(
      'USER_DATA_INVALID',
      `presence authorizers return { user_id, user_info }, got ${typeof data}`,
    )
  }
  const userId = (data as { user_id?: unknown }).user_id
  if (typeof userId !== 'string' || userId === '') {
    throw new PresenceError(
      'USER_DATA_INVALID',
      'presence user_id must be a non-empty string (convert numeric ids with String(id))',
    )
  }
  if (userId.length > MAX_USER_ID_LENGTH) {
    throw new PresenceError(
      'USER_DATA_INVALID',
      `presence user_id is ${userId.length} characters; the limit is ${MAX_USER_ID_LENGTH}`,
    )
  }
  let json: string
  try {
    json = JSON.stringify(data)
  } catch (cause) {
    throw new PresenceError('USER_DATA_INVALID', 'presence user_info is not JSON-serializable', {
      cause,
    })
  }
  const size = json.length <= maxBytes / 3 ? json.length : encoder.encode(json).byteLength
  if (size > maxBytes) {
    throw new PresenceError(
      'USER_DATA_INVALID',
      `presence channel_data is ${size} bytes; the limit (maxChannelDataBytes) is ${maxBytes}. Trim user_info.`,
    )
  }
  return json
}
