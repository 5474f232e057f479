import type { ErrorCode, PresenceError } from '../errors.js'
import type { TraceStep } from '../pipeline/trace.js'

/** An HTTP answer as plain values; only the HTTP layer turns it into a `Response`. */
export interface HttpAnswer {
  readonly status: number
  /** JSON text. */
  readonly body: string
  /** Extra headers for this answer (e.g. `Allow`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** The JSON error body: `{ error: { code, message?, trace? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; status?: number; message?: string; trace?: TraceStep[] }
}

/**
 * The error body of a refusal: the code always; message and trace in debug mode only.
 * @internal
 */
export function errorBody(
  error: PresenceError,
  debug: boolean,
  trace: readonly TraceStep[] | null,
  withStatus: boolean,
): ErrorBody {
  const body: ErrorBody['error'] = { code: error.code }
  if (withStatus) body.status = error.status
  if (debug) {
    body.message = error.message
    if (trace) body.trace = [...trace]
  }
  return { error: body }
}

/** A request-level refusal. @internal */
export function refusal(
  error: PresenceError,
  debug: boolean,
  trace: readonly TraceStep[] | null,
  headers?: Record<string, string>,
): HttpAnswer {
  const answer = {
    status: error.status,
    body: JSON.stringify(errorBody(error, debug, trace, false)),
  }
  return headers ? { ...answer, headers } : answer
}

/** A successful JSON answer. @internal */
export function ok(value: unknown): HttpAnswer {
  return { status: 200, body: JSON.stringify(value) }
}
