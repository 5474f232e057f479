import type { CacheAdapter } from '../cache/types.js'
import { readUserGeneration } from '../cache/user-generation.js'
import type { RetainedEventProvider } from '../channel/definition.js'
import { channelNameProblem, type ParsedChannel, splitChannel } from '../channel/name.js'
import type { Registry, RegistryMatch, ResolvedDefinition } from '../channel/registry.js'
import { isPresenceError, PresenceError } from '../errors.js'
import type { PresenceRequest, Session } from '../session/types.js'
import { type Signer, signCheckedChannel } from '../signer/signer.js'
import type { Timers } from '../timers.js'
import type { DecisionEvent } from './decision-event.js'
import { grantCacheKey, type PermitWriter, readPermit } from './grant-cache.js'
import type { AuthorizerSlots } from './lanes.js'
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
  /** The server-wide authorizer slots and their lanes (`limits.maxInFlight`). */
  readonly slots: AuthorizerSlots
}

/**
 * One request, as its channels see it: built once per request (by the handler, after the
 * request's shape is checked) and shared by all its channels.
 * @internal
 */
export interface RequestState {
  readonly env: ChannelEnv
  readonly handler: 'auth' | 'batch'
  readonly request: PresenceRequest
  /** The socket id, already checked. */
  readonly socketId: string
  /**
   * The request's session, resolved once on first use (memoized): a batch of invalid names
   * never reaches the session store. Rejects when the session adapter fails, which fails the
   * whole request (503).
   */
  session(): Promise<Session | null>
  readonly clientId: string | null
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

/** A requested name that is valid, with its parts and its definition (`null`: none). */
type ValidTarget = Extract<ChannelTarget, { readonly problem: null }>

/** One channel on its way through the pipeline. */
interface Run {
  readonly state: RequestState
  readonly env: ChannelEnv
  readonly name: string
  readonly trace: Tracer
  /** The telemetry event being filled, or `null` without `onDecision`. */
  readonly event: DecisionEvent | null
}

/** A step's "no": the error, and the check it is traced under. */
class Refused {
  constructor(
    readonly error: PresenceError,
    readonly check: TraceStep['check'],
  ) {}
}

/**
 * The channel pipeline: six named steps, in order. Each passes or ends the channel with a
 * refusal; nothing is signed unless the authorizer (or a cached "yes" of the same authorizer,
 * for the same key) allowed it.
 *
 * 1. {@link match}: a valid, non-public name;
 * 2. {@link checkSession}: the request's session (resolved once per request), then the
 *    definition (an unknown channel is 401 without a session, 403 `CHANNEL_UNKNOWN` with one)
 *    and its requirement (`user: 'required'` → 401 without a session);
 * 3. {@link readCache}: definitions with `cache`, never for presence joins, bounded by
 *    `cacheTimeoutMs`; a failing cache is bypassed;
 * 4. {@link authorize}: the authorizer under the deadline counted from the request's arrival,
 *    its result read strictly (`INVALID_AUTHORIZER_RESULT` otherwise), the retained events;
 * 5. {@link sign};
 * 6. {@link answer}: the verdict, with the cache write behind it and the telemetry event.
 *
 * @param state - the request (built once per request).
 * @param target - the channel name as requested, checked and looked up ({@link channelTarget}).
 * @returns the verdict.
 * @internal
 */
export async function authorizeChannel(
  state: RequestState,
  target: ChannelTarget,
): Promise<ChannelVerdict> {
  const run = startRun(state, target.name)
  const matched = match(run, target)
  if (matched instanceof Refused) return refuse(run, matched)
  const { parsed } = matched
  const session = await state.session()
  const found = checkSession(run, { parsed, match: matched.match, session })
  if (found instanceof Refused) return refuse(run, found)
  const key = cacheKeyOf(run.env, { match: found, parsed, session })
  // A user's grants carry the user's generation (see revokeUser), read before the authorizer.
  const generation =
    key !== null && found.definition.cachePolicy?.scope === 'user' && session !== null
      ? generationOf(state, session.userId)
      : undefined
  const cached = key === null ? undefined : await readCache(run, key, generation)
  const authorized = cached ?? authorize(run, { match: found, parsed, session })
  const permit = authorized instanceof Promise ? await authorized : authorized
  if (permit instanceof Refused) return refuse(run, permit)
  const signing = sign(run, permit)
  const grant = signing instanceof Promise ? await signing : signing
  if (grant instanceof Refused) return refuse(run, grant)
  const writeKey =
    cached === undefined ? writeKeyOf(run, { match: found, parsed, permit, key }) : null
  // Stamped with the generation read before the authorizer ran: a revocation in between
  // leaves the grant stale. No generation (the cache failed): nothing is written.
  const stamp = generation === undefined ? undefined : await generation
  return answer(run, {
    grant,
    permit: stamp ? { ...permit, generation: stamp } : permit,
    writeKey: stamp === null ? null : writeKey,
    cachePolicy: found.definition.cachePolicy,
  })
}

/** What the steps after the lookup know about the channel. */
interface Found {
  readonly match: RegistryMatch
  readonly parsed: ParsedChannel
  readonly session: Session | null
}

function startRun(state: RequestState, name: string): Run {
  const { env } = state
  return {
    state,
    env,
    name,
    trace: createTracer(env.debug),
    event: env.onDecision ? newEvent(name, state) : null,
  }
}

/** Step 1: a valid name (checked once, by {@link channelTarget}) that is not public. */
function match(run: Run, target: ChannelTarget): ValidTarget | Refused {
  if (target.problem !== null) {
    return new Refused(new PresenceError('BAD_REQUEST', target.problem), 'name')
  }
  const { parsed } = target
  if (run.event) {
    run.event.type = parsed.type
    run.event.feature = parsed.feature
  }
  if (parsed.type === 'public') {
    const why = `${parsed.name} is a public channel: it needs no authorization`
    return new Refused(new PresenceError('BAD_REQUEST', why), 'name')
  }
  if (run.trace.steps)
    run.trace({ check: 'name', outcome: 'pass', detail: `${parsed.type} / ${parsed.feature}` })
  return target
}

/** Step 2: who asks, whether a definition covers the channel, and whether it needs a user. */
function checkSession(
  run: Run,
  { parsed, match, session }: Omit<Found, 'match'> & { match: RegistryMatch | null },
): RegistryMatch | Refused {
  const { trace } = run
  if (run.event) run.event.userId = session?.userId ?? null
  if (trace.steps) trace(sessionStep(session))
  if (match === null)
    return new Refused(unknownChannel(parsed, session), session ? 'lookup' : 'session')
  const { definition } = match
  if (trace.steps) trace({ check: 'lookup', outcome: 'pass', detail: definition.pattern.source })
  if (session === null && definition.user === 'required') {
    const why = `no session: ${definition.pattern.source} needs a signed-in user (user: 'required')`
    return new Refused(new PresenceError('UNAUTHENTICATED', why), 'user')
  }
  if (trace.steps) {
    const detail = session ? `user ${session.userId}` : 'anonymous'
    trace({ check: 'user', outcome: 'pass', detail })
  }
  return match
}

/**
 * The cache key of a channel, or `null` when this caller's answer is not
 * cached: no cache, no `cache` on the definition, or scope `'user'` without a
 * session. Presence joins have no key: they always run their authorizer.
 */
function cacheKeyOf(env: ChannelEnv, { match, parsed, session }: Found): string | null {
  const policy = match.definition.cachePolicy
  if (!env.cache || policy === null || parsed.type === 'presence') return null
  if (policy.scope === 'channel') return grantCacheKey(parsed.name, null)
  return session === null ? null : grantCacheKey(parsed.name, session.userId)
}

/** The user generations read by each request: one read per user per request. */
const generations = new WeakMap<RequestState, Map<string, Promise<string | null>>>()

/** The user's grant generation, read (or created) once per request; `null` when the cache failed. */
function generationOf(state: RequestState, userId: string): Promise<string | null> {
  let byUser = generations.get(state)
  if (!byUser) {
    byUser = new Map()
    generations.set(state, byUser)
  }
  let read = byUser.get(userId)
  if (!read) {
    const { env } = state
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
 * permit is a hit only under the user's current generation, read alongside the permit.
 */
async function readCache(
  run: Run,
  key: string,
  generation: Promise<string | null> | undefined,
): Promise<Permit | undefined> {
  const { env, trace } = run
  const bounds = { cache: env.cache!, timeoutMs: env.cacheTimeoutMs, timers: env.timers }
  const [read, current] = await Promise.all([readPermit(bounds, key), generation])
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

/**
 * Step 4: an authorizer slot (server-wide, `limits.maxInFlight`; waiting in the definition's
 * lane), then the authorizer (and the retained-event providers) under the deadline counted
 * from the request's arrival. A channel whose deadline passes while it waits is refused without
 * its authorizer being called. With a free slot and a synchronous authorizer: a plain value.
 */
function authorize(run: Run, found: Found): Permit | Refused | Promise<Permit | Refused> {
  const { definition } = found.match
  const deadline = run.state.arrival + definition.timeoutMs
  const owner = found.session?.userId ?? run.state
  const entered = run.env.slots.enter(definition.lane, owner, deadline)
  if (entered === true) return callAuthorizer(run, found, deadline)
  if (entered === false) return new Refused(queueTimeout(definition, 0), 'timeout')
  const queuedAt = run.env.timers.now()
  return entered.then((admitted) => {
    const queuedMs = run.env.timers.now() - queuedAt
    if (run.event) run.event.queuedMs = queuedMs
    if (admitted) return callAuthorizer(run, found, deadline)
    return new Refused(queueTimeout(definition, queuedMs), 'timeout')
  })
}

function queueTimeout(definition: ResolvedDefinition, queuedMs: number): PresenceError {
  return new PresenceError(
    'TIMEOUT',
    `no authorizer slot (limits.maxInFlight) freed up within ${definition.timeoutMs} ms of the request's arrival for ${definition.pattern.source} (waited ${Math.round(queuedMs)} ms); its authorizer was not called`,
  )
}

/** Runs the authorizer in its slot; the slot is given back once the call ends or is abandoned. */
function callAuthorizer(
  run: Run,
  { match, parsed, session }: Found,
  deadline: number,
): Permit | Refused | Promise<Permit | Refused> {
  const { state, env, trace } = run
  // A shared answer (scope 'channel') is served to every caller: nothing about this one may
  // reach it, so its ctx — the authorizer's and every retained-event provider's, server-wide
  // ones included — has no user.
  const shared = match.definition.cachePolicy?.scope === 'channel'
  const ctx = new Context({
    user: shared ? undefined : session,
    params: match.params,
    channel: parsed,
    socketId: state.socketId,
    clientId: state.clientId,
    request: state.request,
  })
  const result = runAuthorizer({
    definition: match.definition,
    retain: env.retain,
    timers: env.timers,
    deadline,
    ctx,
    trace,
  })
  if (!(result instanceof Promise)) {
    env.slots.leave()
    return toStep(result)
  }
  return result.then((outcome) => {
    if (ctx.work === undefined || ctx.settled) env.slots.leave()
    else {
      const count = env.slots.abandon(ctx.work)
      if (count !== null && run.event) run.event.abandonedCalls = count
    }
    return toStep(outcome)
  })
}

function toStep(result: Permit | PresenceError): Permit | Refused {
  if (!isPresenceError(result)) return result
  return new Refused(result, result.code === 'TIMEOUT' ? 'timeout' : 'authorizer')
}

/** Step 5: the signature (the socket id and name were checked once, at the request's shape). */
function sign(run: Run, permit: Permit): ChannelGrant | Refused | Promise<ChannelGrant | Refused> {
  const subscription = { socketId: run.state.socketId, channel: run.name, member: permit.member }
  let signing: ReturnType<typeof signCheckedChannel>
  try {
    signing = signCheckedChannel(run.env.signer, subscription)
  } catch (thrown) {
    return signFailed(thrown)
  }
  if (signing instanceof Promise) {
    return signing.then((signed) => withEvents(run, signed, permit), signFailed)
  }
  return withEvents(run, signing, permit)
}

function withEvents(run: Run, signed: ChannelGrant, permit: Permit): ChannelGrant {
  if (run.trace.steps) run.trace({ check: 'sign', outcome: 'pass' })
  return permit.events !== undefined && permit.events.length > 0
    ? { ...signed, events: permit.events }
    : signed
}

function signFailed(thrown: unknown): Refused {
  const error = isPresenceError(thrown)
    ? thrown
    : new PresenceError('INTERNAL', 'signing failed', { cause: thrown })
  return new Refused(error, 'sign')
}

/**
 * Where an authorizer's "yes" is cached: its read key, or for a presence join the member's
 * key (the member data, for webhook handlers; it is never read back to sign a join).
 */
function writeKeyOf(
  run: Run,
  { match, parsed, permit, key }: Omit<Found, 'session'> & { permit: Permit; key: string | null },
): string | null {
  if (match.definition.cachePolicy === null || !run.env.cacheWriter) return null
  return parsed.type === 'presence' ? grantCacheKey(parsed.name, permit.member!.user_id) : key
}

/** Step 6: the verdict; the cache write starts behind it, never delaying it. */
function answer(
  run: Run,
  signed: {
    grant: ChannelGrant
    permit: Permit
    writeKey: string | null
    cachePolicy: ResolvedDefinition['cachePolicy']
  },
): ChannelVerdict {
  const verdict: ChannelVerdict = { ok: true, grant: signed.grant }
  if (signed.writeKey === null) {
    emit(run, verdict)
    return verdict
  }
  const written = run.env.cacheWriter!.write(
    signed.writeKey,
    signed.permit,
    signed.cachePolicy!.ttlMs,
  )
  if (!(written instanceof Promise)) {
    emit(run, verdict, written ?? undefined)
    return verdict
  }
  if (run.event) {
    run.event.durationMs = run.env.timers.now() - run.state.arrival
    void written.then((error) => emit(run, verdict, error ?? undefined, false))
  }
  return verdict
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
    queuedMs: 0,
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

function refuse(run: Run, { error, check }: Refused): ChannelVerdict {
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
