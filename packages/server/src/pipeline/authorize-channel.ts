import type { CacheAdapter } from '../cache/types.js'
import type { RetainedEventProvider } from '../channel/definition.js'
import { channelNameProblem, type ParsedChannel, splitChannel } from '../channel/name.js'
import type { Registry, RegistryMatch } from '../channel/registry.js'
import { isPresenceError, PresenceError } from '../errors.js'
import { readUserGeneration } from '../revocation.js'
import type { PresenceRequest, Session } from '../session/types.js'
import type { Signer } from '../signer/signer.js'
import type { Timers } from '../timers.js'
import type { DecisionEvent } from './decision-event.js'
import { grantCacheKey, type PermitWriter, readPermit } from './grant-cache.js'
import { Context, runAuthorizer } from './run-authorizer.js'
import { createTracer, sessionStep, type Tracer, type TraceStep } from './trace.js'
import type { ChannelGrant, ChannelVerdict, Permit } from './verdict.js'

/** Everything the channel pipeline reads from the server. @internal */
export interface ChannelEnv {
  readonly registry: Registry
  readonly signer: Signer
  readonly cache: CacheAdapter | undefined
  readonly cacheWriter: PermitWriter | undefined
  readonly cacheTimeoutMs: number
  readonly retain: readonly RetainedEventProvider[]
  readonly timers: Timers
  readonly debug: boolean
  readonly onDecision: ((event: DecisionEvent) => void) | undefined
}

/** What a request contributes to each of its channels. @internal */
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
  /** `timers.now()` when the request arrived: every channel's time limit counts from here. */
  readonly arrival: number
  /** Steps before the channels (shape), when tracing. */
  readonly trace: readonly TraceStep[] | null
}

/**
 * A requested channel name, checked and looked up once: the batch handler orders its channels
 * by the definition's time limit, and the pipeline starts from the same lookup. The lookup
 * reads the registry only, never the session.
 * @internal
 */
export type ChannelTarget =
  | { readonly name: string; readonly problem: string }
  | {
      readonly name: string
      readonly problem: null
      readonly parsed: ParsedChannel
      readonly match: RegistryMatch | null
    }

/**
 * Checks a requested name and finds its definition.
 * @param registry - the server's channel registry.
 * @param name - the channel name as requested.
 * @returns the name's problem, or its parts and its definition (`null`: none).
 * @internal
 */
export function channelTarget(registry: Registry, name: string): ChannelTarget {
  const problem = channelNameProblem(name)
  if (problem !== null) return { name, problem }
  const parsed = splitChannel(name)
  return { name, problem: null, parsed, match: registry.lookup(parsed) }
}

/** One channel on its way through the pipeline. */
interface Run {
  readonly env: ChannelEnv
  readonly state: RequestState
  readonly name: string
  readonly trace: Tracer
  /** The telemetry event being filled, or `null` without `onDecision`. */
  readonly event: DecisionEvent | null
}

/**
 * The channel pipeline. Each step either passes or ends the channel with a
 * refusal; nothing is signed unless the authorizer (or a cached "yes" of the
 * same authorizer, for the same key) allowed it:
 *
 * 1. match: valid name, not public, a definition (an unknown channel is 401
 *    without a session, 403 `CHANNEL_UNKNOWN` with one);
 * 2. session requirement (`user: 'required'` → 401 without a session);
 * 3. cache read (definitions with `cache`, never for presence joins), bounded
 *    by `cacheTimeoutMs`; a failing cache is bypassed;
 * 4. authorize, with the deadline counted from the request's arrival;
 * 5. interpret the result strictly (`INVALID_AUTHORIZER_RESULT` otherwise);
 * 6. sign;
 * 7. cache write, behind the answer.
 *
 * @param env - the server's parts.
 * @param state - the request's socket id, session, arrival time.
 * @param target - the channel name as requested, checked and looked up ({@link channelTarget}).
 * @returns the verdict.
 * @internal
 */
export async function authorizeChannel(
  env: ChannelEnv,
  state: RequestState,
  target: ChannelTarget,
): Promise<ChannelVerdict> {
  const { name } = target
  const run: Run = {
    env,
    state,
    name,
    trace: createTracer(env.debug),
    event: env.onDecision ? newEvent(name, state) : null,
  }
  const { trace } = run

  // 1. match
  if (target.problem !== null)
    return refuse(run, new PresenceError('BAD_REQUEST', target.problem), 'name')
  const { parsed, match } = target
  if (run.event) {
    run.event.type = parsed.type
    run.event.feature = parsed.feature
  }
  if (parsed.type === 'public') {
    const error = new PresenceError(
      'BAD_REQUEST',
      `${name} is a public channel: it needs no authorization`,
    )
    return refuse(run, error, 'name')
  }
  if (trace.steps)
    trace({ check: 'name', outcome: 'pass', detail: `${parsed.type} / ${parsed.feature}` })
  const session = await state.session()
  if (run.event) run.event.userId = session?.userId ?? null
  if (trace.steps) trace(sessionStep(session))
  if (match === null)
    return refuse(run, unknownChannel(parsed, session), session ? 'lookup' : 'session')
  const { definition, params } = match
  if (trace.steps) trace({ check: 'lookup', outcome: 'pass', detail: definition.pattern.source })

  // 2. session requirement
  if (session === null && definition.user === 'required') {
    const error = new PresenceError(
      'UNAUTHENTICATED',
      `no session: ${definition.pattern.source} needs a signed-in user (user: 'required')`,
    )
    return refuse(run, error, 'user')
  }
  if (trace.steps)
    trace({
      check: 'user',
      outcome: 'pass',
      detail: session ? `user ${session.userId}` : 'anonymous',
    })

  // 3. cache read; a user's grants carry the user's generation (see revokeUser)
  const key = cacheKeyOf(env, match, parsed, session)
  const generation =
    key !== null && definition.cache?.scope === 'user' && session !== null
      ? generationOf(env, state, session.userId)
      : undefined
  let permit: Permit | PresenceError | undefined
  if (key !== null) permit = await readCache(run, key, generation)

  // 4 + 5. authorize under the deadline, interpret strictly
  let fromAuthorizer = false
  if (permit === undefined) {
    const ctx = new Context(session, params, parsed, state.socketId, state.clientId, state.request)
    const deadline = state.arrival + definition.timeoutMs
    const result = runAuthorizer(definition, env.retain, env.timers, deadline, ctx, trace)
    permit = result instanceof Promise ? await result : result
    fromAuthorizer = true
  }
  if (isPresenceError(permit)) {
    return refuse(run, permit, permit.code === 'TIMEOUT' ? 'timeout' : 'authorizer')
  }

  // 6. sign
  let grant: ChannelGrant
  try {
    const signing = env.signer.signChannel(state.socketId, name, permit.member)
    const signed = signing instanceof Promise ? await signing : signing
    grant =
      permit.events !== undefined && permit.events.length > 0
        ? { ...signed, events: permit.events }
        : signed
  } catch (thrown) {
    const error = isPresenceError(thrown)
      ? thrown
      : new PresenceError('INTERNAL', 'signing failed', { cause: thrown })
    return refuse(run, error, 'sign')
  }
  if (trace.steps) trace({ check: 'sign', outcome: 'pass' })
  const verdict: ChannelVerdict = { ok: true, grant }

  // 7. cache write, behind the answer (presence: the member data, under the member's id,
  //    for webhook handlers; it is never read back to sign a join)
  const cache = definition.cache
  const writeKey =
    !fromAuthorizer || cache === null || !env.cacheWriter
      ? null
      : parsed.type === 'presence'
        ? grantCacheKey(name, permit.member!.user_id)
        : key
  // A user's grant is written with the generation read before its authorizer ran: a
  // revocation in between leaves it stale. No generation (the cache failed): not written.
  const stamp = generation === undefined ? undefined : await generation
  if (writeKey !== null && stamp !== null) {
    const stored = stamp === undefined ? permit : { ...permit, generation: stamp }
    const written = env.cacheWriter!.write(writeKey, stored, cache!.ttlMs)
    if (written instanceof Promise) {
      if (run.event) {
        run.event.durationMs = env.timers.now() - state.arrival
        void written.then((error) => emit(run, verdict, error ?? undefined, false))
      }
      return verdict
    }
    if (written && run.event) run.event.cacheError = written
  }
  emit(run, verdict)
  return verdict
}

/**
 * The cache key of a channel, or `null` when this caller's answer is not
 * cached: no cache, no `cache` on the definition, or scope `'user'` without a
 * session. Presence joins have no key: they always run their authorizer.
 */
function cacheKeyOf(
  env: ChannelEnv,
  match: RegistryMatch,
  parsed: ParsedChannel,
  session: Session | null,
): string | null {
  const cache = match.definition.cache
  if (!env.cache || cache === null || parsed.type === 'presence') return null
  if (cache.scope === 'channel') return grantCacheKey(parsed.name, null)
  return session === null ? null : grantCacheKey(parsed.name, session.userId)
}

/** The user generations read by each request: one read per user per request. */
const generations = new WeakMap<RequestState, Map<string, Promise<string | null>>>()

/** The user's grant generation, read (or created) once per request; `null` when the cache failed. */
function generationOf(
  env: ChannelEnv,
  state: RequestState,
  userId: string,
): Promise<string | null> {
  let byUser = generations.get(state)
  if (!byUser) generations.set(state, (byUser = new Map()))
  let read = byUser.get(userId)
  if (!read) {
    read = readUserGeneration(env.cache!, userId, {
      create: true,
      timeoutMs: env.cacheTimeoutMs,
      timers: env.timers,
    })
    byUser.set(userId, read)
  }
  return read
}

/**
 * Step 3: a hit is a permit; a miss or a failing cache lets the authorizer decide. A user's
 * permit is a hit only under the user's current generation (read alongside the permit).
 */
async function readCache(
  run: Run,
  key: string,
  generation: Promise<string | null> | undefined,
): Promise<Permit | undefined> {
  const { env, trace } = run
  const [read, current] = await Promise.all([
    readPermit(env.cache!, key, env.cacheTimeoutMs, env.timers),
    generation,
  ])
  if (current === null) {
    const error =
      read.kind === 'error'
        ? read.error
        : new PresenceError('UNAVAILABLE', 'the user generation could not be read')
    if (run.event) run.event.cacheError = error
    if (trace.steps)
      trace({ check: 'cache', outcome: 'error', detail: `${error.message}; bypassed` })
    return undefined
  }
  if (read.kind === 'hit' && current !== undefined && read.permit.generation !== current) {
    if (trace.steps)
      trace({ check: 'cache', outcome: 'miss', detail: 'revoked (older generation)' })
    return undefined
  }
  if (read.kind === 'hit') {
    if (run.event) run.event.cached = true
    if (trace.steps) trace({ check: 'cache', outcome: 'hit' })
    return read.permit
  }
  if (read.kind === 'error') {
    if (run.event) run.event.cacheError = read.error
    if (trace.steps)
      trace({ check: 'cache', outcome: 'error', detail: `${read.error.message}; bypassed` })
  } else if (trace.steps) trace({ check: 'cache', outcome: 'miss' })
  return undefined
}

function unknownChannel(parsed: ParsedChannel, session: Session | null): PresenceError {
  if (session === null)
    return new PresenceError('UNAUTHENTICATED', 'no session: sign in before subscribing')
  const id = parsed.objectId === null ? '' : parsed.name.includes('@') ? '@{id}' : '-{id}'
  return new PresenceError(
    'CHANNEL_UNKNOWN',
    `no channel definition matches ${parsed.name}; add a pattern such as '${parsed.type}-${parsed.feature}${id}' to channels`,
  )
}

function newEvent(name: string, state: RequestState): DecisionEvent {
  return {
    channel: name,
    type: null,
    feature: null,
    outcome: 'allow',
    code: null,
    status: 200,
    durationMs: 0,
    cached: false,
    userId: null,
    handler: state.handler,
  }
}

/** Fills and sends the telemetry event of a verdict; `onDecision` must not change anything. */
function emit(run: Run, verdict: ChannelVerdict, cacheError?: Error, measure = true): void {
  const { event, env } = run
  if (!event) return
  if (measure) event.durationMs = env.timers.now() - run.state.arrival
  if (cacheError) event.cacheError = cacheError
  if (!verdict.ok) {
    const { error } = verdict
    event.outcome = error.status >= 500 ? 'error' : 'deny'
    event.code = error.code
    event.status = error.status
    if (error.cause !== undefined) event.cause = error.cause
  }
  try {
    env.onDecision?.(event)
  } catch {
    // onDecision must not change a verdict.
  }
}

function refuse(run: Run, error: PresenceError, check: TraceStep['check']): ChannelVerdict {
  const { trace, state } = run
  let steps: TraceStep[] | null = null
  if (trace.steps) {
    trace({ check, outcome: 'fail', detail: error.message })
    steps = state.trace ? [...state.trace, ...trace.steps] : trace.steps
  }
  const verdict: ChannelVerdict = { ok: false, error, trace: steps }
  emit(run, verdict)
  return verdict
}
