import type { CachedGrant } from './cache-step.js'
import type { ParsedChannel } from './channel.js'
import type {
  AuthorizeContext,
  PresenceMember,
  RetainedEvent,
  RetainedEventProvider,
} from './definition.js'
import { isPresenceError, PresenceError } from './errors.js'
import type { ResolvedDefinition } from './registry.js'
import type { PresenceRequest, Session } from './session/types.js'
import { type Timers, withTimeLimit } from './timers.js'
import type { Tracer } from './trace.js'

/** The server parts the authorizer step reads. @internal */
export interface AuthorizerEnv {
  readonly retain: readonly RetainedEventProvider[]
  readonly timers: Timers
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object'
    ? 'an object without user_id'
    : `${typeof value} ${String(value).slice(0, 40)}`
}

/** Turns an authorizer's return value into a grant or a refusal. */
function interpret(
  result: unknown,
  channel: ParsedChannel,
  session: Session | null,
): CachedGrant | PresenceError {
  if (isPresenceError(result)) return result
  if (result === false) {
    return new PresenceError('CHANNEL_FORBIDDEN', `the authorizer refused ${channel.name}`)
  }
  if (channel.type === 'presence') {
    if (result === true) {
      if (session === null) {
        return new PresenceError(
          'INTERNAL',
          'a presence authorizer returned true without a session; return { user_id, user_info } for anonymous members',
        )
      }
      return { member: { user_id: session.userId } }
    }
    if (result !== null && typeof result === 'object' && 'user_id' in result) {
      const { user_id, user_info } = result as PresenceMember
      return { member: user_info === undefined ? { user_id } : { user_id, user_info } }
    }
    return new PresenceError(
      'INTERNAL',
      `a presence authorizer returned ${describe(result)}; return { user_id, user_info }, false or deny(code)`,
    )
  }
  if (result === true) return {}
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) {
    const { events } = result as { events?: unknown }
    if (events === undefined) return {}
    if (Array.isArray(events)) return { events: events as RetainedEvent[] }
  }
  return new PresenceError(
    'INTERNAL',
    `a private authorizer returned ${describe(result)}; return true, false, deny(code) or { events }`,
  )
}

function validEvents(list: unknown, source: string): RetainedEvent[] {
  if (list === null || list === undefined) return []
  if (!Array.isArray(list)) {
    throw new PresenceError('INTERNAL', `${source} returned a non-array; return [{ event, data }]`)
  }
  for (const item of list) {
    if (
      item === null ||
      typeof item !== 'object' ||
      typeof (item as RetainedEvent).event !== 'string'
    ) {
      throw new PresenceError(
        'INTERNAL',
        `${source} returned an event without a string 'event' name`,
      )
    }
  }
  return list as RetainedEvent[]
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * The context handed to `authorize` and the providers. `signal` is a getter:
 * the AbortController is made only when an authorizer reads it.
 */
export class Context implements AuthorizeContext {
  /** @internal */
  controller: AbortController | undefined = undefined
  /** @internal */
  expired: PresenceError | undefined = undefined
  constructor(
    readonly user: Session | null,
    readonly params: Readonly<Record<string, string>>,
    readonly channel: ParsedChannel,
    readonly socketId: string,
    readonly clientId: string | null,
    readonly request: PresenceRequest,
  ) {}
  get signal(): AbortSignal {
    if (this.expired) return AbortSignal.abort(this.expired)
    this.controller ??= new AbortController()
    return this.controller.signal
  }
}

async function withRetained(
  decided: CachedGrant,
  providers: readonly RetainedEventProvider[],
  ctx: Context,
  definition: ResolvedDefinition,
  trace: Tracer,
): Promise<CachedGrant> {
  const lists = await Promise.all(
    providers.map(async (provider, index) =>
      validEvents(await provider(ctx), `retain provider #${index} of ${definition.pattern.source}`),
    ),
  )
  const events = [...(decided.events ?? []), ...lists.flat()]
  if (trace.steps) trace({ check: 'retain', outcome: 'pass', detail: `${events.length} event(s)` })
  return events.length > 0 ? { ...decided, events } : decided
}

/**
 * Runs the authorizer (and the retained-event providers) under the time
 * limit. Synchronous authorizers without providers need no timer and no
 * promise: the result comes back as a plain value.
 */
export function runAuthorizer(
  definition: ResolvedDefinition,
  env: AuthorizerEnv,
  ctx: Context,
  trace: Tracer,
): CachedGrant | PresenceError | Promise<CachedGrant | PresenceError> {
  const providers =
    env.retain.length === 0 ? definition.retain : [...definition.retain, ...env.retain]
  const decide = (result: unknown) => {
    const decided = interpret(result, ctx.channel, ctx.user)
    if (isPresenceError(decided)) return decided
    if (trace.steps) trace({ check: 'authorizer', outcome: 'pass' })
    return providers.length === 0
      ? decided
      : withRetained(decided, providers, ctx, definition, trace)
  }
  const result = definition.authorize(ctx as never)
  if (!isThenable(result) && providers.length === 0) return decide(result)
  return withTimeLimit(
    definition.timeoutMs,
    env.timers,
    () => {
      ctx.expired = new PresenceError(
        'TIMEOUT',
        `the authorizer for ${definition.pattern.source} did not answer within ${definition.timeoutMs} ms (timeoutMs)`,
      )
      ctx.controller?.abort(ctx.expired)
      return ctx.expired
    },
    async () => decide(await result),
  )
}

export function asError(thrown: unknown, definition: ResolvedDefinition): PresenceError {
  if (isPresenceError(thrown)) return thrown
  const name = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown
  return new PresenceError(
    'INTERNAL',
    `the authorizer for ${definition.pattern.source} threw (${name})`,
    {
      cause: thrown,
    },
  )
}
