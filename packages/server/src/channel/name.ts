import { PresenceError } from '../errors.js'

/** A channel's type, from its prefix. */
export type ChannelType = 'public' | 'private' | 'presence' | 'private-encrypted'

/** A channel name split into its parts. */
export interface ParsedChannel {
  /** The full name. */
  readonly name: string
  /** `private-encrypted-` → `'private-encrypted'`, `private-` → `'private'`, `presence-` → `'presence'`, else `'public'`. */
  readonly type: ChannelType
  /** What follows the type prefix up to the first `@` (or, without `@`, up to the first `-`). */
  readonly feature: string
  /** What follows the feature's separator, or `null` when there is none. */
  readonly objectId: string | null
  /** `true` for `private-encrypted-` channels. */
  readonly encrypted: boolean
}

/** Pusher's channel name characters, as a lookup table over ASCII (faster than a regex on the hot path). */
const NAME_CHARS = new Uint8Array(128)
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=@,.;') {
  NAME_CHARS[char.charCodeAt(0)] = 1
}

function hasOnlyNameChars(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i)
    if (code > 127 || NAME_CHARS[code] === 0) return false
  }
  return true
}
/** Pusher's channel name length limit. */
export const MAX_CHANNEL_NAME_LENGTH = 200

const PREFIXES: ReadonlyArray<readonly [string, ChannelType]> = [
  ['private-encrypted-', 'private-encrypted'],
  ['private-', 'private'],
  ['presence-', 'presence'],
]

/**
 * The type of a name and the length of its type prefix.
 * @param name - a channel name or pattern.
 * @returns `[type, prefixLength]`.
 * @internal
 */
export function channelTypeOf(name: string): readonly [ChannelType, number] {
  for (const [prefix, type] of PREFIXES) {
    if (name.startsWith(prefix)) return [type, prefix.length]
  }
  return ['public', 0]
}

/**
 * Splits what follows the type prefix into feature and object id: at the
 * first `@` when there is one, otherwise at the first `-`.
 * @param rest - the name without its type prefix.
 * @returns `[feature, objectId]`.
 * @internal
 */
export function splitFeature(rest: string): readonly [string, string | null] {
  const at = rest.indexOf('@')
  const cut = at >= 0 ? at : rest.indexOf('-')
  return cut < 0 ? [rest, null] : [rest.slice(0, cut), rest.slice(cut + 1)]
}

/**
 * Why `name` is not a valid Pusher channel name, or `null` when it is.
 * @param name - anything.
 * @returns a message naming the rule, or `null`.
 */
export function channelNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'a channel name is a non-empty string'
  if (name.length > MAX_CHANNEL_NAME_LENGTH) {
    return `channel name is ${name.length} characters; Pusher allows at most ${MAX_CHANNEL_NAME_LENGTH}`
  }
  if (!hasOnlyNameChars(name)) {
    return `channel name ${JSON.stringify(name.slice(0, 60))} holds a character outside Pusher's set [A-Za-z0-9_-=@,.;]`
  }
  return null
}

/**
 * Parses a channel name per Pusher's rules and this project's naming scheme:
 * `{type}-{feature}@{objectId}` (seed 001) or `{type}-{feature}-{objectId}` (seed 002).
 *
 * @param name - the channel name, e.g. `'private-stream@42'`.
 * @returns the parsed parts.
 * @throws PresenceError `BAD_REQUEST` when the name breaks Pusher's rules.
 * @example
 * ```ts
 * parseChannel('private-encrypted-stream@42')
 * // { name, type: 'private-encrypted', feature: 'stream', objectId: '42', encrypted: true }
 * parseChannel('private-session-8f2c-11aa') // feature 'session', objectId '8f2c-11aa'
 * parseChannel('presence-messenger')        // feature 'messenger', objectId null
 * ```
 */
export function parseChannel(name: string): ParsedChannel {
  const problem = channelNameProblem(name)
  if (problem !== null) throw new PresenceError('BAD_REQUEST', problem)
  return splitChannel(name)
}

/**
 * Splits a name already known to be valid (no validation).
 * @param name - a valid channel name.
 * @returns the parsed parts.
 * @internal
 */
export function splitChannel(name: string): ParsedChannel {
  const [type, prefixLength] = channelTypeOf(name)
  const [feature, objectId] = splitFeature(name.slice(prefixLength))
  return { name, type, feature, objectId, encrypted: type === 'private-encrypted' }
}

/**
 * Whether a name is a `private-encrypted-` channel (no validation).
 * @param name - a channel name.
 * @returns `true` for `private-encrypted-…`.
 */
export function isEncryptedChannelName(name: string): boolean {
  return name.startsWith('private-encrypted-')
}
