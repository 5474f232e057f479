import { PresenceError } from '../errors.js'
import { createSigner, type Signer, type SignerOptions } from './signer.js'

/**
 * A `pusher` (v5) instance, as accepted by the `signer` option. Its public
 * type is only `authorizeChannel`, because the `pusher` package's own types
 * do not declare the `config` the signer reads at run time (credentials and
 * master key): `new Pusher({...})` is accepted as it is, without a cast.
 */
export interface PusherLike {
  authorizeChannel(socketId: string, channel: string, data?: unknown): unknown
}

/** What the signer reads from a `pusher` instance at run time. */
interface PusherInternals {
  config: {
    token: { key: string; secret: string }
    encryptionMasterKey?: Uint8Array
  }
}

/**
 * Whether `value` looks like a `pusher` instance.
 * @param value - anything.
 * @returns `true` for a `new Pusher(...)`.
 */
export function isPusherLike(value: unknown): value is PusherLike & PusherInternals {
  const config = (value as { config?: { token?: { key?: unknown; secret?: unknown } } } | null)
    ?.config
  return (
    typeof (value as { authorizeChannel?: unknown } | null)?.authorizeChannel === 'function' &&
    typeof config?.token?.key === 'string' &&
    typeof config.token.secret === 'string'
  )
}

/**
 * A {@link Signer} with the key, secret and master key of a `pusher`
 * instance (byte-identical output, on the faster signing path).
 * @param pusher - a `new Pusher({ appId, key, secret, ... })`.
 * @param options - signer options other than the credentials.
 * @returns the signer.
 * @example
 * ```ts
 * const signer = signerFromPusher(new Pusher({ appId, key, secret, cluster }))
 * ```
 */
export function signerFromPusher(
  pusher: PusherLike,
  options: Omit<SignerOptions, 'key' | 'secret' | 'encryptionMasterKeyBase64'> = {},
): Signer {
  if (!isPusherLike(pusher)) {
    throw new PresenceError('CONFIG_INVALID', 'expected a pusher instance (new Pusher({...}))')
  }
  const { key, secret } = pusher.config.token
  const masterKey = pusher.config.encryptionMasterKey
  const signerOptions: SignerOptions = { ...options, key, secret }
  if (masterKey !== undefined) {
    let binary = ''
    for (const byte of masterKey) binary += String.fromCharCode(byte)
    signerOptions.encryptionMasterKeyBase64 = btoa(binary)
  }
  return createSigner(signerOptions)
}

/**
 * A signer from either a {@link Signer} or a `pusher` instance.
 * @param value - the `signer` server option.
 * @returns the signer.
 * @internal
 */
export function toSigner(value: Signer | PusherLike): Signer {
  if (isPusherLike(value)) return signerFromPusher(value)
  const candidate = value as Partial<Signer> | null
  if (
    typeof candidate?.signChannel !== 'function' ||
    typeof candidate.signUser !== 'function' ||
    typeof candidate.verifyWebhook !== 'function'
  ) {
    throw new PresenceError(
      'CONFIG_INVALID',
      'signer must be createSigner({ key, secret }) or a pusher instance',
    )
  }
  return value as Signer
}
