import type { ChannelType } from '../channel/name.js'
import type { ErrorCode } from '../errors.js'

/**
 * The telemetry event of one channel, given to the `onDecision` option
 * (counters, logs, a batch authentication service's error counters).
 */
export interface DecisionEvent {
  /** The channel name as requested. */
  channel: string
  /** Parsed type, or `null` when the name was invalid. */
  type: ChannelType | null
  /** Parsed feature, or `null` when the name was invalid. */
  feature: string | null
  /** `'allow'` (signed), `'deny'` (4xx) or `'error'` (5xx: INTERNAL, UNAVAILABLE...). */
  outcome: 'allow' | 'deny' | 'error'
  /** The error code for deny/error. */
  code: ErrorCode | null
  /** The HTTP status this channel got. */
  status: number
  /** Time from the request's arrival to this channel's answer, in ms. */
  durationMs: number
  /**
   * Time this channel waited for an authorizer slot (`limits.maxInFlight`), in ms; `0` when a
   * slot was free or no authorizer ran (a cache hit, a refusal before it).
   */
  queuedMs: number
  /**
   * Set on a `TIMEOUT` whose authorizer was still running at the limit (it ignored its
   * `signal`): the number of such abandoned calls still running in this server instance, this
   * one included. They run without a slot, at most `limits.maxAbandoned` of them; past that a
   * timed-out call keeps its slot until it settles (and this field is absent).
   */
  abandonedCalls?: number
  /** `true` when the grant came from the cache (the authorizer was skipped). */
  cached: boolean
  /**
   * A cache failure: a read that failed or took longer than
   * `limits.cacheTimeoutMs` (the cache was bypassed and the authorizer
   * decided), or a write that failed, timed out or was dropped because too
   * many writes were in flight. When a write is pending, the event is
   * emitted once it settles (at most `limits.cacheTimeoutMs` after the
   * answer, which never waits for it).
   */
  cacheError?: Error
  /** The cause of an `'error'` outcome (e.g. what an authorizer threw or returned). */
  cause?: unknown
  /** The session's user id, or `null`. */
  userId: string | null
  /** Which handler answered. */
  handler: 'auth' | 'batch'
}
