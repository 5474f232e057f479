import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

/** What the metrics read from one authorization decision (a subset of `onDecision`'s `DecisionEvent`). */
export interface DecisionFacts {
  /** `'allow'`, `'deny'` (4xx) or `'error'` (5xx). */
  outcome: string
  /** The refusal code (`ORDER_FORBIDDEN`, `TIMEOUT`…), `null` when allowed. */
  code?: string | null
  /** The parsed channel type and feature, `null` when the name was invalid. */
  type?: string | null
  feature?: string | null
  /** How long the decision took, in milliseconds. */
  durationMs?: number
  /** Whether the grant came from the channel-data cache. */
  cached?: boolean
}

/** The example's Prometheus metrics, on a registry of its own (one per app instance). */
export interface AppMetrics {
  readonly registry: Registry
  /** The batch service's `authorization_errors += 1`, labelled by code, channel type and feature. */
  readonly authorizationErrors: Counter<'code' | 'type' | 'feature'>
  /** Every decision, by outcome and whether the cache answered. */
  readonly decisions: Counter<'outcome' | 'type' | 'feature' | 'cached'>
  readonly decisionSeconds: Histogram<'type' | 'outcome'>
  /** Auth HTTP requests by route (a batch of 10 channels is one). */
  readonly authRequests: Counter<'route'>
  /** Feeds one decision into the counters. */
  record(facts: DecisionFacts): void
}

/**
 * Creates the metrics served at `GET /metrics` in Prometheus text format.
 *
 * @param options - `defaultMetrics`: also collect Node's process metrics
 * @returns the registry and counters
 * @example
 * const metrics = createMetrics()
 * createPresenceServer({ onDecision: (event) => metrics.record(event), ... })
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const authorizationErrors = new Counter({
    name: 'presence_authorization_errors_total',
    help: 'Channels refused by the authorizers (authorization_errors), by code.',
    labelNames: ['code', 'type', 'feature'] as const,
    registers: [registry],
  })
  const decisions = new Counter({
    name: 'presence_authorization_decisions_total',
    help: 'Channel authorization decisions, by outcome and cache use.',
    labelNames: ['outcome', 'type', 'feature', 'cached'] as const,
    registers: [registry],
  })
  const decisionSeconds = new Histogram({
    name: 'presence_authorization_duration_seconds',
    help: 'Time to decide one channel.',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 4],
    registers: [registry],
  })
  const authRequests = new Counter({
    name: 'presence_auth_requests_total',
    help: 'HTTP requests to the auth routes (one batch of many channels counts once).',
    labelNames: ['route'] as const,
    registers: [registry],
  })

  return {
    registry,
    authorizationErrors,
    decisions,
    decisionSeconds,
    authRequests,
    record(facts) {
      const type = facts.type ?? 'invalid'
      const feature = facts.feature ?? 'none'
      const allowed = facts.outcome === 'allow'
      // The batch service counts every channel whose authorization did not succeed.
      decisions.inc({
        outcome: facts.outcome,
        type,
        feature,
        cached: String(facts.cached ?? false),
      })
      if (!allowed) authorizationErrors.inc({ code: facts.code ?? 'FORBIDDEN', type, feature })
      if (facts.durationMs !== undefined) {
        decisionSeconds.observe({ type, outcome: facts.outcome }, facts.durationMs / 1000)
      }
    },
  }
}
