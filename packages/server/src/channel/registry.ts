import { PresenceError } from '../errors.js'
import type {
  Authorizer,
  CacheScope,
  ChannelDefinition,
  RetainedEventProvider,
} from './definition.js'
import type { ParsedChannel } from './name.js'
import { overlapWitness } from './overlap.js'
import { type CompiledPattern, compilePattern } from './pattern.js'

/** Default time limit for presence channels and `priority: 'high'` definitions. */
export const HIGH_PRIORITY_TIMEOUT_MS = 4000
/** Default time limit for other definitions. */
export const DEFAULT_TIMEOUT_MS = 2000

/** A definition with its defaults applied. @internal */
export interface ResolvedDefinition {
  readonly pattern: CompiledPattern
  readonly user: 'required' | 'optional'
  readonly timeoutMs: number
  /** The queue its channels wait in for an authorizer slot: presence and `priority: 'high'` go first. */
  readonly lane: 'high' | 'normal'
  /** The definition's `cache` option resolved: how its answers are cached, or `null` (not cached). */
  readonly cachePolicy: { readonly ttlMs: number; readonly scope: CacheScope } | null
  readonly retain: readonly RetainedEventProvider[]
  readonly authorize: Authorizer<string, never>
}

/** The definition for a channel and the values of its params. @internal */
export interface RegistryMatch {
  readonly definition: ResolvedDefinition
  readonly params: Record<string, string>
}

/** Finds the definition of a channel. @internal */
export interface Registry {
  lookup(channel: ParsedChannel): RegistryMatch | null
  readonly definitions: readonly ResolvedDefinition[]
}

function positive(value: unknown, what: string, pattern: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2 ** 31 - 1) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `channel ${JSON.stringify(pattern)}: ${what} must be a positive number of milliseconds`,
    )
  }
  return value
}

function cacheOption(
  option: unknown,
  type: CompiledPattern['type'],
  source: string,
): { ttlMs: number; scope: CacheScope } {
  const fail = (why: string): never => {
    throw new PresenceError('CONFIG_INVALID', `channel ${JSON.stringify(source)}: ${why}`)
  }
  if (option === null || typeof option !== 'object') {
    fail("cache is { ttlMs, scope: 'user' | 'channel' }")
  }
  const { ttlMs, scope } = option as { ttlMs?: unknown; scope?: unknown }
  if (scope !== 'user' && scope !== 'channel') {
    fail(
      `cache.scope is required: 'user' (one grant per channel and user) or 'channel' (one answer for every caller); got ${scope === undefined ? 'nothing' : JSON.stringify(String(scope))}`,
    )
  }
  if (type === 'presence' && scope !== 'user') {
    fail("a presence definition caches member data per user: use cache.scope 'user'")
  }
  return { ttlMs: positive(ttlMs, 'cache.ttlMs', source), scope: scope as CacheScope }
}

function resolve(source: string, entry: ChannelDefinition): ResolvedDefinition {
  const pattern = compilePattern(source)
  const definition = typeof entry === 'function' ? { authorize: entry } : entry
  if (
    definition === null ||
    typeof definition !== 'object' ||
    typeof definition.authorize !== 'function'
  ) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `channel ${JSON.stringify(source)}: a definition is an authorize function or { authorize, ... }`,
    )
  }
  const user = definition.user ?? 'required'
  if (user !== 'required' && user !== 'optional') {
    throw new PresenceError(
      'CONFIG_INVALID',
      `channel ${JSON.stringify(source)}: user is 'required' or 'optional'`,
    )
  }
  const high = pattern.type === 'presence' || definition.priority === 'high'
  const timeoutMs =
    definition.timeoutMs === undefined
      ? high
        ? HIGH_PRIORITY_TIMEOUT_MS
        : DEFAULT_TIMEOUT_MS
      : positive(definition.timeoutMs, 'timeoutMs', source)
  const cachePolicy =
    definition.cache === undefined ? null : cacheOption(definition.cache, pattern.type, source)
  const retain = definition.retain ?? []
  if (!Array.isArray(retain) || retain.some((provider) => typeof provider !== 'function')) {
    throw new PresenceError(
      'CONFIG_INVALID',
      `channel ${JSON.stringify(source)}: retain is a list of functions`,
    )
  }
  return {
    pattern,
    user,
    timeoutMs,
    lane: high ? 'high' : 'normal',
    cachePolicy,
    retain: retain as readonly RetainedEventProvider[],
    authorize: definition.authorize as Authorizer<string, never>,
  }
}

/** The first definition of a bucket that matches `name`, with its params. */
function firstMatch(
  bucket: readonly ResolvedDefinition[] | undefined,
  name: string,
): RegistryMatch | null {
  if (!bucket) return null
  for (const definition of bucket) {
    const params = definition.pattern.match(name)
    if (params) return { definition, params }
  }
  return null
}

/** Files a definition with params under its type and feature (or its type alone). */
function fileByFeature(
  index: {
    byFeature: Map<string, Map<string, ResolvedDefinition[]>>
    dynamic: Map<string, ResolvedDefinition[]>
  },
  definition: ResolvedDefinition,
): void {
  const { pattern } = definition
  let map = index.dynamic
  let bucketKey: string = pattern.type
  if (pattern.feature !== null) {
    let features = index.byFeature.get(pattern.type)
    if (!features) {
      features = new Map()
      index.byFeature.set(pattern.type, features)
    }
    map = features
    bucketKey = pattern.feature
  }
  const bucket = map.get(bucketKey)
  if (bucket) bucket.push(definition)
  else map.set(bucketKey, [definition])
}

/**
 * Builds the registry from the `channels` option. Rules:
 * - a pattern names its type literally (`private-stream@{id}` never matches `private-encrypted-stream@…`);
 * - a literal pattern (no params) beats a pattern with params;
 * - two patterns with params that could match one name are rejected here, naming both.
 *
 * @param channels - pattern → definition.
 * @returns the registry.
 * @throws PresenceError `CONFIG_INVALID` for a malformed pattern or definition, or an overlap.
 * @internal
 */
export function createRegistry(channels: Record<string, ChannelDefinition>): Registry {
  if (channels === null || typeof channels !== 'object') {
    throw new PresenceError('CONFIG_INVALID', 'channels maps channel patterns to definitions')
  }
  const definitions = Object.entries(channels).map(([source, entry]) => resolve(source, entry))
  const literals = new Map<string, ResolvedDefinition>()
  // type → feature → definitions (nested maps: no key string built per lookup)
  const byFeature = new Map<string, Map<string, ResolvedDefinition[]>>()
  const dynamic = new Map<string, ResolvedDefinition[]>()
  const withParams: ResolvedDefinition[] = []
  for (const definition of definitions) {
    const { pattern } = definition
    if (pattern.literal) {
      literals.set(pattern.source, definition)
      continue
    }
    for (const other of withParams) {
      const witness = overlapWitness(other.pattern, pattern)
      if (witness !== null) {
        throw new PresenceError(
          'CONFIG_INVALID',
          `channel patterns ${JSON.stringify(other.pattern.source)} and ${JSON.stringify(pattern.source)} overlap: ${JSON.stringify(witness)} matches both. Make them distinct (a literal pattern may coexist with a parameterised one and wins).`,
        )
      }
    }
    withParams.push(definition)
    fileByFeature({ byFeature, dynamic }, definition)
  }

  return {
    definitions,
    lookup(channel) {
      const literal = literals.get(channel.name)
      if (literal) return { definition: literal, params: {} }
      if (channel.type === 'public') return null
      return (
        firstMatch(byFeature.get(channel.type)?.get(channel.feature), channel.name) ??
        firstMatch(dynamic.get(channel.type), channel.name)
      )
    },
  }
}
