import type { Awaitable } from '../awaitable.js'
import { isEncryptedChannelName } from '../channel/name.js'
import { PresenceError } from '../errors.js'
import {
  defaultHmacEngine,
  type HmacEngine,
  type HmacEngineFactory,
  nodeHmacEngine,
  timingSafeEqualString,
  webHmacEngine,
} from './hmac.js'
import {
  assertSignable,
  DEFAULT_MAX_CHANNEL_DATA_BYTES,
  DEFAULT_MAX_USER_DATA_BYTES,
  type PresenceUserData,
  serializePresenceData,
  serializeUserData,
  socketIdProblem,
} from './limits.js'

/** A signed channel authorization, as pusher-js expects it. Key order matches `pusher`. */
export interface ChannelAuth {
  /** Presence data, serialized (presence channels only). */
  channel_data?: string
  /** `key:hex-hmac`. */
  auth: string
  /** Base64 per-channel key for `private-encrypted-` channels. */
  shared_secret?: string
}

/** A signed user authentication for pusher-js `signin()`. */
export interface UserAuth {
  /** `key:hex-hmac`. */
  auth: string
  /** User data, serialized. */
  user_data: string
}

/** User data for `signUser`: an `id` plus any fields. */
export interface UserData {
  /** The user's id, a non-empty string. */
  id: string
  [field: string]: unknown
}

/** Headers as a Fetch `Headers`, or a plain record (Node's lower-case header object). */
export type HeadersLike =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>

/**
 * Signs channel and user authorizations and verifies webhooks in Pusher's format.
 * Methods return a value with `node:crypto` and a promise with Web Crypto.
 */
export interface Signer {
  /** The app key. */
  readonly key: string
  /** The crypto engine in use (`'node'`, `'web'`, or `'pusher'`). */
  readonly engine: string
  /**
   * Signs a channel subscription, byte-identical to `pusher.authorizeChannel`.
   * @param socketId - the subscriber's socket id.
   * @param channel - the channel name.
   * @param channelData - presence data `{ user_id, user_info }`, for presence channels.
   * @returns `{ auth, channel_data?, shared_secret? }`.
   */
  signChannel(
    socketId: string,
    channel: string,
    channelData?: PresenceUserData,
  ): Awaitable<ChannelAuth>
  /**
   * Signs a user sign-in, byte-identical to `pusher.authenticateUser`.
   * @param socketId - the socket id.
   * @param userData - `{ id, ... }`, at most `maxUserDataBytes` once serialized (8 KB by default).
   * @returns `{ auth, user_data }`.
   * @throws PresenceError `USER_DATA_INVALID` without an id or past the size limit.
   */
  signUser(socketId: string, userData: UserData): Awaitable<UserAuth>
  /**
   * Verifies a webhook's `X-Pusher-Key` and `X-Pusher-Signature` (constant time).
   * @param headers - the request headers.
   * @param rawBody - the raw body, exactly as received.
   * @returns whether the webhook comes from the Pusher-protocol server.
   */
  verifyWebhook(headers: HeadersLike, rawBody: string): Awaitable<boolean>
}

/** Options of {@link createSigner}. */
export interface SignerOptions {
  /** The app key. */
  key: string
  /** The app secret. */
  secret: string
  /** Base64 of the 32-byte master key for `private-encrypted-` channels. @default undefined (signing a private-encrypted- channel throws CONFIG_INVALID) */
  encryptionMasterKeyBase64?: string
  /**
   * The crypto to use: `'node'` (sync `node:crypto`), `'web'` (Web Crypto) or a factory.
   * @default `'node'` when `node:crypto` exists, else `'web'`
   */
  crypto?: 'node' | 'web' | HmacEngineFactory
  /** Limit on the serialized presence `channel_data`. @default 2048 */
  maxChannelDataBytes?: number
  /**
   * Limit on the serialized sign-in `user_data`, in bytes; past it `signUser` throws
   * `USER_DATA_INVALID` (answered 500 by `handlers.userAuth`) and nothing is signed.
   * @default 8192
   */
  maxUserDataBytes?: number
}

function decodeBase64(value: string): Uint8Array {
  const binary = atob(value)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function readHeader(headers: HeadersLike, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name)
  }
  const record = headers as Record<string, string | string[] | undefined>
  const value = record[name] ?? record[name.toLowerCase()]
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null)
}

function decodeMasterKey(base64: string | undefined): Uint8Array | undefined {
  if (base64 === undefined) return undefined
  let bytes: Uint8Array
  try {
    bytes = decodeBase64(base64)
  } catch (cause) {
    throw new PresenceError('CONFIG_INVALID', 'encryptionMasterKeyBase64 is not valid base64', {
      cause,
    })
  }
  if (bytes.length !== 32) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `encryptionMasterKeyBase64 decodes to ${bytes.length} bytes; it must be 32 (generate one with \`openssl rand -base64 32\`)`,
    )
  }
  return bytes
}

function pickEngine(choice: SignerOptions['crypto'], secret: string): HmacEngine {
  if (typeof choice === 'function') return choice(secret)
  if (choice === undefined) return defaultHmacEngine(secret)
  return choice === 'web' ? webHmacEngine(secret) : nodeHmacEngine(secret)
}

const encoder = new TextEncoder()

/** The `shared_secret` of a `private-encrypted-` channel: SHA-256 of its name and the master key. */
function sharedSecret(
  engine: HmacEngine,
  masterKey: Uint8Array | undefined,
  channel: string,
): Awaitable<string> {
  if (!masterKey) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `cannot sign ${channel}: private-encrypted channels need encryptionMasterKeyBase64`,
    )
  }
  const name = encoder.encode(channel)
  const bytes = new Uint8Array(name.length + masterKey.length)
  bytes.set(name, 0)
  bytes.set(masterKey, name.length)
  return engine.sha256Base64(bytes)
}

/**
 * Channel signing without the socket id and name checks (the caller makes them): the
 * signature, the serialized presence data, the shared secret of encrypted channels.
 */
function channelSigning(parts: {
  engine: HmacEngine
  keyPrefix: string
  masterKey: Uint8Array | undefined
  maxChannelDataBytes: number
}): (socketId: string, channel: string, channelData?: PresenceUserData) => Awaitable<ChannelAuth> {
  const { engine, keyPrefix, masterKey, maxChannelDataBytes } = parts

  /** {@link Signer.signChannel} for a socket id and name the caller has already checked. */
  const signChecked = (
    socketId: string,
    channel: string,
    channelData?: PresenceUserData,
  ): Awaitable<ChannelAuth> => {
    if (channelData === undefined) {
      const signature = engine.hmacHex(`${socketId}:${channel}`)
      if (isEncryptedChannelName(channel)) return withSharedSecret({}, signature, channel)
      return typeof signature === 'string'
        ? { auth: keyPrefix + signature }
        : signature.then((hex) => ({ auth: keyPrefix + hex }))
    }
    const serialized = serializePresenceData(channelData, maxChannelDataBytes)
    const signature = engine.hmacHex(`${socketId}:${channel}:${serialized}`)
    if (isEncryptedChannelName(channel)) {
      return withSharedSecret({ channel_data: serialized }, signature, channel)
    }
    return typeof signature === 'string'
      ? { channel_data: serialized, auth: keyPrefix + signature }
      : signature.then((hex) => ({ channel_data: serialized, auth: keyPrefix + hex }))
  }

  /** Encrypted channels: `auth` then `shared_secret`, in pusher's key order. */
  const withSharedSecret = (
    head: { channel_data?: string },
    signature: Awaitable<string>,
    channel: string,
  ): Awaitable<ChannelAuth> => {
    const shared = sharedSecret(engine, masterKey, channel)
    if (typeof signature === 'string' && typeof shared === 'string') {
      return { ...head, auth: keyPrefix + signature, shared_secret: shared }
    }
    return Promise.all([signature, shared]).then(([hex, secretValue]) => ({
      ...head,
      auth: keyPrefix + hex,
      shared_secret: secretValue,
    }))
  }

  return signChecked
}

/**
 * Creates a signer for one Pusher app.
 *
 * @param options - key, secret, optional encryption master key and crypto choice.
 * @returns the {@link Signer}.
 * @throws PresenceError `CONFIG_INVALID` for a missing key/secret or a master key that is not 32 bytes.
 * @example
 * ```ts
 * const signer = createSigner({
 *   key: process.env.PUSHER_KEY!,
 *   secret: process.env.PUSHER_SECRET!,
 *   encryptionMasterKeyBase64: process.env.PUSHER_ENCRYPTION_KEY,
 * })
 * signer.signChannel('123.456', 'private-stream@42') // { auth: 'key:…' }
 * ```
 */
export function createSigner(options: SignerOptions): Signer {
  const { key, secret } = options
  if (typeof key !== 'string' || key === '' || typeof secret !== 'string' || secret === '') {
    throw new PresenceError('CONFIG_INVALID', 'createSigner needs a non-empty key and secret')
  }
  const masterKey = decodeMasterKey(options.encryptionMasterKeyBase64)
  const engine = pickEngine(options.crypto, secret)
  const keyPrefix = `${key}:`
  const maxUserDataBytes = options.maxUserDataBytes ?? DEFAULT_MAX_USER_DATA_BYTES
  const signChecked = channelSigning({
    engine,
    keyPrefix,
    masterKey,
    maxChannelDataBytes: options.maxChannelDataBytes ?? DEFAULT_MAX_CHANNEL_DATA_BYTES,
  })
  const signChannel = (
    socketId: string,
    channel: string,
    channelData?: PresenceUserData,
  ): Awaitable<ChannelAuth> => {
    assertSignable(socketId, channel)
    return signChecked(socketId, channel, channelData)
  }

  const signUser = (socketId: string, userData: UserData): Awaitable<UserAuth> => {
    const problem = socketIdProblem(socketId)
    if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
    const serialized = serializeUserData(userData, maxUserDataBytes)
    const signature = engine.hmacHex(`${socketId}::user::${serialized}`)
    const build = (hex: string): UserAuth => ({ auth: keyPrefix + hex, user_data: serialized })
    return typeof signature === 'string' ? build(signature) : signature.then(build)
  }

  const verifyWebhook = (headers: HeadersLike, rawBody: string): Awaitable<boolean> => {
    const receivedKey = readHeader(headers, 'x-pusher-key')
    const receivedSignature = readHeader(headers, 'x-pusher-signature')
    if (receivedKey === null || receivedSignature === null || typeof rawBody !== 'string') {
      return false
    }
    const keyMatches = timingSafeEqualString(key, receivedKey)
    const signature = engine.hmacHex(rawBody)
    const check = (hex: string) => timingSafeEqualString(hex, receivedSignature) && keyMatches
    return typeof signature === 'string' ? check(signature) : signature.then(check)
  }

  const signer = { key, engine: engine.kind, signChannel, signUser, verifyWebhook }
  Object.defineProperty(signer, SIGN_CHECKED, { value: signChecked })
  return signer
}

/**
 * Where a signer made by {@link createSigner} keeps its `signChannel` without
 * the socket id and name checks, for the channel pipeline, which has already
 * checked both (once per request, not twice). Not part of the public API.
 * @internal
 */
export const SIGN_CHECKED = Symbol.for('@presence/server.signChecked')

/** A socket id and a channel name already checked, with the presence member data. @internal */
export interface CheckedSubscription {
  readonly socketId: string
  readonly channel: string
  readonly member: PresenceUserData | undefined
}

/**
 * Signs a channel whose socket id and name were already checked: the signer's
 * unchecked path when it has one (signers from {@link createSigner}), its
 * `signChannel` otherwise (a `pusher` instance).
 * @param signer - the server's signer.
 * @param subscription - a checked socket id and channel name, and the presence
 *   member data (presence channels only).
 * @returns `{ auth, channel_data?, shared_secret? }`.
 * @internal
 */
export function signCheckedChannel(
  signer: Signer,
  { socketId, channel, member }: CheckedSubscription,
): Awaitable<ChannelAuth> {
  const checked = (signer as { [SIGN_CHECKED]?: Signer['signChannel'] })[SIGN_CHECKED]
  return checked
    ? checked(socketId, channel, member)
    : signer.signChannel(socketId, channel, member)
}
