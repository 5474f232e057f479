import type {
  AuthorizeContext,
  RetainedEvent,
  RetainedEventProvider,
} from '../channel/definition.js'
import type { ParsedChannel } from '../channel/name.js'
import type { ResolvedDefinition } from '../channel/registry.js'
import { isPresenceError, PresenceError } from '../errors.js'
import type { PresenceRequest, Session } from '../session/types.js'
import { type Timers, withTimeLimit } from '../timers.js'
import { areRetainedEvents, interpretResult } from './interpret.js'
import type { Tracer } from './trace.js'
import type { Permit } from './verdict.js'

/**
 * The context handed to `authorize` and the providers. `signal` is a getter:
 * the AbortController is made only when an authorizer reads it.
 * @internal
 */
export class Context implements AuthorizeContext {
  /** @internal */
  controller: AbortController | undefined = undefined
  /** @internal */
  expired: PresenceError | undefined = undefined
  /** The authorizer's (and providers') work, when asynchronous. @internal */
  work: Promise<unknown> | undefined = undefined
  /** Whether {@link Context.work} has settled. @internal */
  settled = false
  /** Absent (not even `undefined`) for a shared answer (`cache: { scope: 'channel' }`). */
  declare readonly user: Session | null
  readonly params: Readonly<Record<string, string>>
  readonly channel: ParsedChannel
  readonly socketId: string
  readonly clientId: string | null
  readonly request: PresenceRequest
  constructor(
    fields: Omit<AuthorizeContext, 'signal' | 'user'> & { user: Session | null | undefined },
  ) {
    if (fields.user !== undefined) this.user = fields.user
    this.params = fields.params
    this.channel = fields.channel
    this.socketId = fields.socketId
    this.clientId = fields.clientId
    this.request = fields.request
  }
  /** Follows the call's asynchronous work, so its slot is known to be free or still taken. @internal */
  track<T>(work: Promise<T>): Promise<T> {
    this.work = work
    const done = () => {
      this.settled = true
    }
    work.then(done, done)
    return work
  }
  get signal(): AbortSignal {
    if (this.expired) return AbortSignal.abort(this.expired)
    this.controller ??= new AbortController()
    return this.controller.signal
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * The `TIMEOUT` refusal of a definition.
 * @internal
 */
function timeoutError(definition: ResolvedDefinition): PresenceError {
  return new PresenceError(
    'TIMEOUT',
    `the authorizer for ${definition.pattern.source} did not answer within ${definition.timeoutMs} ms of the request's arrival (timeoutMs)`,
  )
}

function validEvents(list: unknown, source: string): RetainedEvent[] {
  if (list === null || list === undefined) return []
  if (!Array.isArray(list) || !areRetainedEvents(list)) {
    throw new PresenceError(
      'INVALID_AUTHORIZER_RESULT',
      `${source} returned something other than a list of { event: string, data }`,
    )
  }
  return list as RetainedEvent[]
}

async function withRetained(
  permit: Permit,
  providers: readonly RetainedEventProvider[],
  call: AuthorizerCall,
): Promise<Permit> {
  const { ctx, definition, trace } = call
  const lists = await Promise.all(
    providers.map(async (provider, index) =>
      validEvents(await provider(ctx), `retain provider #${index} of ${definition.pattern.source}`),
    ),
  )
  const events = [...(permit.events ?? []), ...lists.flat()]
  if (trace.steps) trace({ check: 'retain', outcome: 'pass', detail: `${events.length} event(s)` })
  return events.length > 0 ? { ...permit, events } : permit
}

/** What {@link runAuthorizer} needs for one channel. @internal */
export interface AuthorizerCall {
  readonly definition: ResolvedDefinition
  /** The server-wide retained-event providers (run after the definition's own). */
  readonly retain: readonly RetainedEventProvider[]
  readonly timers: Timers
  /** An absolute time on `timers.now()`: the request's arrival plus the definition's limit. */
  readonly deadline: number
  readonly ctx: Context
  readonly trace: Tracer
}

/**
 * Runs the authorizer, interprets its result strictly, then runs the
 * retained-event providers — all before `deadline` (an absolute time on
 * `timers.now()`, counted from the request's arrival). At the deadline the
 * channel is `TIMEOUT` and `ctx.signal` aborts, whatever the authorizer does
 * afterwards. A synchronous authorizer without providers needs no timer and
 * no promise: the result comes back as a plain value.
 * @returns the permit, or the refusal (`false`, `deny(...)`,
 *   `INVALID_AUTHORIZER_RESULT`, `TIMEOUT`, `INTERNAL` for a throw).
 * @internal
 */
export function runAuthorizer(
  call: AuthorizerCall,
): Permit | PresenceError | Promise<Permit | PresenceError> {
  const { definition, retain, timers, deadline, ctx } = call
  // Under 1 ms left is expired: timers work in whole milliseconds (and Node's may
  // fire up to 1 ms before a fractional delay), so the next channel of a batch
  // must not start an authorizer in that sliver.
  const remaining = deadline - timers.now()
  if (remaining < 1) return timeoutError(definition)
  const providers = retain.length === 0 ? definition.retain : [...definition.retain, ...retain]
  let result: unknown
  try {
    result = definition.authorize(ctx as never)
  } catch (thrown) {
    return thrownError(thrown, definition)
  }
  if (!isThenable(result) && providers.length === 0) return decide(call, providers, result)
  return withTimeLimit(
    Math.ceil(remaining),
    timers,
    () => {
      ctx.expired = timeoutError(definition)
      ctx.controller?.abort(ctx.expired)
      return ctx.expired
    },
    () => ctx.track(Promise.resolve(result).then((value) => decide(call, providers, value))),
  ).catch((thrown: unknown) => thrownError(thrown, definition))
}

/** Reads the authorizer's result strictly, then runs the retained-event providers. */
function decide(
  call: AuthorizerCall,
  providers: readonly RetainedEventProvider[],
  result: unknown,
): Permit | PresenceError | Promise<Permit> {
  const { definition, ctx, trace } = call
  const permit = interpretResult(result, ctx.channel.type, definition.pattern.source)
  if (isPresenceError(permit)) return permit
  if (trace.steps) trace({ check: 'authorizer', outcome: 'pass' })
  return providers.length === 0 ? permit : withRetained(permit, providers, call)
}

/** What a throwing authorizer (or provider) gives its channel. */
function thrownError(thrown: unknown, definition: ResolvedDefinition): PresenceError {
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
