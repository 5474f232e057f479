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
  /** The literal feature, or `null` when a parameter sits inside the feature. */
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
  if (source.length > 200 && params.length === 0) fail('longer than 200 characters')
  const rest = source.slice(prefixLength)
  const firstParam = rest.indexOf('{')
  const head = firstParam < 0 ? rest : rest.slice(0, firstParam)
  const at = head.indexOf('@')
  const dash = head.indexOf('-')
  let feature: string | null
  if (at >= 0) feature = head.slice(0, at)
  else if (params.length === 0) feature = splitFeature(rest)[0]
  else if (restHasLiteralAt(rest, firstParam)) feature = null
  else if (dash >= 0) feature = head.slice(0, dash)
  else feature = null
  if (feature === '') fail('the feature (the part after the type prefix) is empty')

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

/** Whether the part of `rest` after `from` holds a literal `@` (the feature would end there). */
function restHasLiteralAt(rest: string, from: number): boolean {
  return rest.slice(from).replace(PARAM, '').includes('@')
}

/** A token of the glob form of a pattern: a literal character, ANY (one char) or STAR (zero or more). */
type Token = string | typeof ANY | typeof STAR
const ANY = Symbol('any')
const STAR = Symbol('star')

function toTokens(pattern: CompiledPattern): Token[] {
  const tokens: Token[] = []
  for (const segment of pattern.segments) {
    if ('literal' in segment) tokens.push(...segment.literal)
    else tokens.push(ANY, STAR)
  }
  return tokens
}

/**
 * Whether some channel name matches both patterns (glob intersection over
 * the patterns' literal characters and "one or more" parameters).
 * @param a - a compiled pattern.
 * @param b - another.
 * @returns `true` when a name could match both.
 * @internal
 */
export function patternsOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  if (a.type !== b.type) return false
  if (a.feature !== null && b.feature !== null && a.feature !== b.feature) return false
  const x = toTokens(a)
  const y = toTokens(b)
  const seen = new Set<number>()
  const width = y.length + 1
  const stack: Array<[number, number]> = [[0, 0]]
  while (stack.length > 0) {
    const [i, j] = stack.pop()!
    const id = i * width + j
    if (seen.has(id)) continue
    seen.add(id)
    if (i === x.length && j === y.length) return true
    const tx = x[i]
    const ty = y[j]
    if (tx === STAR) stack.push([i + 1, j])
    if (ty === STAR) stack.push([i, j + 1])
    if (tx === undefined || ty === undefined) continue
    const xChar = typeof tx === 'string'
    const yChar = typeof ty === 'string'
    if (xChar && yChar && tx !== ty) continue
    stack.push([tx === STAR ? i : i + 1, ty === STAR ? j : j + 1])
  }
  return false
}
