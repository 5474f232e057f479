/** A check of the decision pipeline, in order. */
export type TraceCheck =
  | 'shape'
  | 'name'
  | 'session'
  | 'lookup'
  | 'user'
  | 'cache'
  | 'authorizer'
  | 'retain'
  | 'timeout'
  | 'sign'

/** One check and how it went. Only sent to clients in debug mode. */
export interface TraceStep {
  check: TraceCheck
  outcome: 'pass' | 'fail' | 'hit' | 'miss' | 'skip' | 'error'
  /** What was found (a pattern, a reason); never a secret. */
  detail?: string
}

/** Collects trace steps when debug is on; a no-op otherwise. @internal */
export type Tracer = ((step: TraceStep) => void) & { readonly steps: TraceStep[] | null }

const noop = Object.assign((_step: TraceStep) => {}, { steps: null })

/**
 * A tracer that records steps when `enabled`.
 * @param enabled - whether to record.
 * @returns the tracer.
 * @internal
 */
export function createTracer(enabled: boolean): Tracer {
  if (!enabled) return noop
  const steps: TraceStep[] = []
  return Object.assign((step: TraceStep) => void steps.push(step), { steps })
}

/**
 * The trace step of the session check.
 * @param session - the resolved session.
 * @returns a `pass` step naming the user, or a `miss`.
 * @internal
 */
export function sessionStep(session: { userId: string } | null): TraceStep {
  return session
    ? { check: 'session', outcome: 'pass', detail: `user ${session.userId}` }
    : { check: 'session', outcome: 'miss', detail: 'no session' }
}
