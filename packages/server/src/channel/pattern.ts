import { PresenceError } from '../errors.js'
import { type ChannelType, channelTypeOf, splitFeature } from './name.js'

/**
 * The `{param}` names of a channel pattern, as a union of string literals.
 * @example `PatternParamNames<'private-chat@{chatId}-{topic}'>` is `'chatId' | 'topic'`.
 */
export type PatternParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PatternParamNames<Rest>
  : never

/**
 * The `params` object an authorizer receives for a pattern.
 * @example `PatternParams<'private-session-{sessionId}'>` is `{ sessionId: string }`.
 */
export type PatternParams<P extends string> = { readonly [K in PatternParamNames<P>]: string }

/** A segment of a compiled pattern: literal text or a named parameter. */
type Segment = { readonly literal: string } | { readonly param: string }

/** A channel pattern, compiled. */
export interface CompiledPattern {
  /** The pattern as written, e.g. `'private-stream@{streamId}'`. */
  readonly source: string
  readonly type: Exclude<ChannelType, 'public'>
  /**
   * The feature every matching name has, or `null` when a parameter may
   * change it (the registry then tries the pattern for every name of its type).
   */
  readonly feature: string | null
  /** Parameter names, in order. */
  readonly params: readonly string[]
  /** `true` when the pattern has no parameter. */
  readonly literal: boolean
  /** Matches a full channel name; returns the params or `null`. */
  match(name: string): Record<string, string> | null
  /** @internal */
  readonly segments: readonly Segment[]
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g
const PATTERN_TEXT = /^[A-Za-z0-9_\-=@,.;]*$/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A pattern's literal and `{param}` segments, each literal checked against Pusher's set. */
function splitSegments(
  source: string,
  prefixLength: number,
  fail: (why: string) => never,
): { segments: Segment[]; params: string[] } {
  const segments: Segment[] = []
  const params: string[] = []
  let last = 0
  for (const match of source.matchAll(PARAM)) {
    const index = match.index
    const name = match[1]!
    if (index < prefixLength) fail('the type prefix must be literal')
    if (index > last) segments.push({ literal: source.slice(last, index) })
    else if (segments.length > 0)
      fail(`{${name}} follows another parameter without a literal between them`)
    if (params.includes(name)) fail(`parameter {${name}} appears twice`)
    params.push(name)
    segments.push({ param: name })
    last = index + match[0].length
  }
  if (last < source.length) segments.push({ literal: source.slice(last) })
  for (const segment of segments) {
    if ('literal' in segment && !PATTERN_TEXT.test(segment.literal)) {
      fail(
        `${JSON.stringify(segment.literal)} holds characters outside Pusher's channel set; parameters are written {name}`,
      )
    }
  }
  return { segments, params }
}

/**
 * Compiles a channel pattern. The type prefix (`private-`, `presence-`,
 * `private-encrypted-`) must be literal. A `{param}` matches one or more
 * characters; when several splits are possible the earlier parameter takes
 * the shortest (it ends at the next literal of the pattern).
 *
 * @param source - e.g. `'private-session-{sessionId}'`.
 * @returns the compiled pattern.
 * @throws PresenceError `CONFIG_INVALID` for a malformed pattern.
 */
export function compilePattern(source: string): CompiledPattern {
  const fail = (why: string): never => {
    throw new PresenceError('CONFIG_INVALID', `channel pattern ${JSON.stringify(source)}: ${why}`)
  }
  const [type, prefixLength] = channelTypeOf(source)
  if (type === 'public') {
    fail(
      "must start with 'private-', 'presence-' or 'private-encrypted-' (public channels need no authorization)",
    )
  }
  const { segments, params } = splitSegments(source, prefixLength, fail)
  if (source.length > 200 && params.length === 0) fail('longer than 200 characters')
  const rest = source.slice(prefixLength)
  const firstParam = rest.indexOf('{')
  const head = firstParam < 0 ? rest : rest.slice(0, firstParam)
  const at = head.indexOf('@')
  // The feature is known only when every matching name has it: a literal
  // pattern, or an '@' before the first param. Otherwise a param may hold the
  // '@' or '-' that ends a name's feature ('private-session-{id}' matches
  // 'private-session-a@b', whose feature is 'session-a').
  const feature = params.length === 0 ? splitFeature(rest)[0] : at >= 0 ? head.slice(0, at) : null
  if (feature === '' || head.startsWith('@') || (params.length === 0 && rest === '')) {
    fail('the feature (the part after the type prefix) is empty')
  }

  const regex = new RegExp(
    `^${segments.map((s) => ('literal' in s ? escapeRegExp(s.literal) : '(.+?)')).join('')}$`,
  )
  const literal = params.length === 0
  return {
    source,
    type: type as Exclude<ChannelType, 'public'>,
    feature,
    params,
    literal,
    segments,
    match(name) {
      if (literal) return name === source ? {} : null
      const found = regex.exec(name)
      if (!found) return null
      const values: Record<string, string> = {}
      for (let i = 0; i < params.length; i++) values[params[i]!] = found[i + 1]!
      return values
    },
  }
}
