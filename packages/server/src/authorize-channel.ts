import type { CacheAdapter } from './cache/types.js'
import { type CachedGrant, grantCacheKey, readGrant, writeGrant } from './cache-step.js'
import { channelNameProblem, type ParsedChannel, splitChannel } from './channel.js'
import type { RetainedEvent, RetainedEventProvider } from './definition.js'
import { isPresenceError, PresenceError } from './errors.js'
import type { DecisionEvent } from './options.js'
import type { Registry } from './registry.js'
import { asError, Context, runAuthorizer } from './run-authorizer.js'
import type { PresenceRequest, Session } from './session/types.js'
import type { ChannelAuth, Signer } from './signer/signer.js'
import type { Timers } from './timers.js'
import { createTracer, sessionStep, type Tracer, type TraceStep } from './trace.js'

/** A signed channel answer, with retained events. */
export interface ChannelGrant extends ChannelAuth {
  /** Retained events to deliver once subscribed. */
  events?: RetainedEvent[]
}

/** The per-channel decision, as a plain value. */
export type ChannelDecision =
  | { readonly ok: true; readonly grant: ChannelGrant }
  | { readonly ok: false; readonly error: PresenceError; readonly trace: TraceStep[] | null }

/** Everything a channel decision reads from the server. @internal */
export interface ChannelEnv {
  readonly registry: Registry
  readonly signer: Signer
  readonly cache: CacheAdapter | undefined
  readonly cacheTimeoutMs: number
  readonly retain: readonly RetainedEventProvider[]
  readonly timers: Timers
  readonly debug: boolean
  readonly onDecision: ((event: DecisionEvent) => void) | undefined
}

/** What a request contributes to each of its channel decisions. @internal */
export interface RequestState {
  readonly socketId: string
  /**
   * The request's session, resolved once on first use (memoized by the caller):
   * a batch of invalid names never reaches the session store. Rejects when the
   * session adapter fails, which fails the whole request (503).
   */
  readonly session: () => Promise<Session | null>
  readonly request: PresenceRequest
  readonly clientId: string | null
  readonly handler: 'auth' | 'batch'
  /** Steps before the channels (shape), when tracing. */
  readonly trace: readonly TraceStep[] | null
}

/**
 * Decides one channel of a request: name → session → definition → user →
 * cache → authorizer (+ retained events) under the time limit → signature.
 * Every failure is a refusal for this channel alone, except a failing
 * session adapter, which rejects (the request answers 503 `UNAVAILABLE`).
 * @param env - the server's parts.
 * @param state - the request's socket id, session, client id.
 * @param name - the channel name as requested.
 * @returns the decision.
 * @internal
 */
export async function authorizeChannel(
  env: ChannelEnv,
  state: RequestState,
  name: string,
): Promise<ChannelDecision> {
  const report: Report | null = env.onDecision
    ? {
        started: env.timers.now(),
        userId: null,
        parsed: null,
        cached: false,
        cacheError: undefined,
      }
    : null
  const trace = createTracer(env.debug)

  const problem = channelNameProblem(name)
  if (problem !== null) {
    return refuse(
      env,
      state,
      name,
      report,
      trace,
      new PresenceError('BAD_REQUEST', problem),
      'name',
    )
  }
  const parsed = splitChannel(name)
  if (report) report.parsed = parsed
  if (parsed.type === 'public') {
    const error = new PresenceError(
      'BAD_REQUEST',
      `${name} is a public channel: it needs no authorization`,
    )
    return refuse(env, state, name, report, trace, error, 'name')
  }
  if (trace.steps)
    trace({ check: 'name', outcome: 'pass', detail: `${parsed.type} / ${parsed.feature}` })

  const session = await state.session()
  if (report) report.userId = session?.userId ?? null
  if (trace.steps) trace(sessionStep(session))
  const match = env.registry.lookup(parsed)
  if (match === null) {
    if (session === null) {
      const error = new PresenceError('UNAUTHENTICATED', 'no session: sign in before subscribing')
      return refuse(env, state, name, report, trace, error, 'session')
    }
    const suggestion = `${parsed.type}-${parsed.feature}${parsed.objectId === null ? '' : name.includes('@') ? '@{id}' : '-{id}'}`
    const error = new PresenceError(
      'CHANNEL_UNKNOWN',
      `no channel definition matches ${name}; add a pattern such as '${suggestion}' to channels`,
    )
    return refuse(env, state, name, report, trace, error, 'lookup')
  }
  const { definition, params } = match
  if (trace.steps) trace({ check: 'lookup', outcome: 'pass', detail: definition.pattern.source })
  if (session === null && definition.user === 'required') {
    const error = new PresenceError(
      'UNAUTHENTICATED',
      `no session: ${definition.pattern.source} needs a signed-in user (user: 'required')`,
    )
    return refuse(env, state, name, report, trace, error, 'user')
  }
  if (trace.steps) {
    trace({
      check: 'user',
      outcome: 'pass',
      detail: session ? `user ${session.userId}` : 'anonymous',
    })
  }

  let grant: CachedGrant | undefined
  const cacheKey =
    env.cache && definition.cacheTtlMs !== null
      ? grantCacheKey(parsed, state.clientId, session?.userId ?? null)
      : null
  if (env.cache && cacheKey !== null) {
    const read = await readGrant(env.cache, cacheKey, env.cacheTimeoutMs, env.timers)
    if (read.kind === 'hit') {
      grant = read.grant
      if (report) report.cached = true
      if (trace.steps) trace({ check: 'cache', outcome: 'hit' })
    } else if (read.kind === 'error') {
      if (report) report.cacheError = read.error
      if (trace.steps)
        trace({ check: 'cache', outcome: 'error', detail: `${read.error.message}; bypassed` })
    } else if (trace.steps) trace({ check: 'cache', outcome: 'miss' })
  }

  if (grant === undefined) {
    let decided: CachedGrant | PresenceError
    try {
      const ctx = new Context(
        session,
        params,
        parsed,
        state.socketId,
        state.clientId,
        state.request,
      )
      const result = runAuthorizer(definition, env, ctx, trace)
      decided = result instanceof Promise ? await result : result
    } catch (thrown) {
      const error = asError(thrown, definition)
      return refuse(
        env,
        state,
        name,
        report,
        trace,
        error,
        error.code === 'TIMEOUT' ? 'timeout' : 'authorizer',
      )
    }
    if (isPresenceError(decided)) {
      return refuse(env, state, name, report, trace, decided, 'authorizer')
    }
    grant = decided
    if (env.cache && cacheKey !== null && definition.cacheTtlMs !== null) {
      const failed = await writeGrant(
        env.cache,
        cacheKey,
        grant,
        definition.cacheTtlMs,
        env.cacheTimeoutMs,
        env.timers,
      )
      if (failed && report) report.cacheError = failed
    }
  }

  try {
    const signing = env.signer.signChannel(state.socketId, name, grant.member)
    const signed: ChannelGrant = signing instanceof Promise ? await signing : signing
    if (trace.steps) trace({ check: 'sign', outcome: 'pass' })
    const events = grant.events
    const decision: ChannelDecision = {
      ok: true,
      grant: events !== undefined && events.length > 0 ? { ...signed, events } : signed,
    }
    if (report) notify(env, state, name, report, decision)
    return decision
  } catch (thrown) {
    const error = isPresenceError(thrown)
      ? thrown
      : new PresenceError('INTERNAL', 'signing failed', { cause: thrown })
    return refuse(env, state, name, report, trace, error, 'sign')
  }
}

/** What onDecision needs to know about a channel decision in progress. */
interface Report {
  started: number
  userId: string | null
  parsed: ParsedChannel | null
  cached: boolean
  cacheError: PresenceError | undefined
}

function notify(
  env: ChannelEnv,
  state: RequestState,
  name: string,
  report: Report,
  decision: ChannelDecision,
): void {
  const error = decision.ok ? null : decision.error
  const event: DecisionEvent = {
    channel: name,
    type: report.parsed?.type ?? null,
    feature: report.parsed?.feature ?? null,
    outcome: error === null ? 'allow' : error.status >= 500 ? 'error' : 'deny',
    code: error?.code ?? null,
    status: error?.status ?? 200,
    durationMs: env.timers.now() - report.started,
    cached: report.cached,
    userId: report.userId,
    handler: state.handler,
  }
  if (report.cacheError) event.cacheError = report.cacheError
  if (error?.cause !== undefined) event.cause = error.cause
  try {
    env.onDecision?.(event)
  } catch {
    // onDecision must not change a decision.
  }
}

function refuse(
  env: ChannelEnv,
  state: RequestState,
  name: string,
  report: Report | null,
  trace: Tracer,
  error: PresenceError,
  check: TraceStep['check'],
): ChannelDecision {
  let steps: TraceStep[] | null = null
  if (trace.steps) {
    trace({ check, outcome: 'fail', detail: error.message })
    steps = state.trace ? [...state.trace, ...trace.steps] : trace.steps
  }
  const decision: ChannelDecision = { ok: false, error, trace: steps }
  if (report) notify(env, state, name, report, decision)
  return decision
}
