import type { PresenceError } from './errors.js'

/**
 * Clock and timers, injectable so tests and runtimes without
 * Node's timers need no monkey-patching.
 */
export interface Timers {
  /** Milliseconds from an arbitrary origin (monotonic). */
  now(): number
  /**
   * Wall-clock milliseconds since the Unix epoch, compared with a webhook's
   * `time_ms`.
   * @default Date.now
   */
  epochMs?(): number
  /** Calls `callback` after `ms`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown
  /** Cancels a timer. */
  clearTimeout(handle: unknown): void
}

/** The runtime's timers and `performance.now()`. */
export const systemTimers: Timers = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * Runs `task`; rejects with `error()` (which may abort the task's signal)
 * when `ms` pass first, whatever `task` does afterwards.
 * @param ms - the limit in milliseconds.
 * @param timers - the timers to use.
 * @param error - builds the rejection.
 * @param task - the work.
 * @returns the task's result.
 * @internal
 */
export function withTimeLimit<T>(
  ms: number,
  timers: Timers,
  error: () => PresenceError,
  task: () => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => reject(error()), ms)
    let settled: Promise<T>
    try {
      settled = task()
    } catch (thrown) {
      settled = Promise.reject(thrown)
    }
    settled.then(
      (value) => {
        timers.clearTimeout(handle)
        resolve(value)
      },
      (thrown: unknown) => {
        timers.clearTimeout(handle)
        reject(thrown)
      },
    )
  })
}

/**
 * Settles with `promise`, or with `{ timedOut: true }` after `ms` — used to
 * bound cache calls so a slow cache is bypassed.
 * @param promise - the value or promise.
 * @param ms - the bound.
 * @param timers - the timers.
 * @returns the value, wrapped.
 * @internal
 */
export function bounded<T>(
  promise: T | Promise<T>,
  ms: number,
  timers: Timers,
): Promise<{ timedOut: false; value: T } | { timedOut: true }> {
  if (!(promise instanceof Promise)) return Promise.resolve({ timedOut: false, value: promise })
  return new Promise((resolve, reject) => {
    const handle = timers.setTimeout(() => resolve({ timedOut: true }), ms)
    promise.then(
      (value) => {
        timers.clearTimeout(handle)
        resolve({ timedOut: false, value })
      },
      (thrown: unknown) => {
        timers.clearTimeout(handle)
        reject(thrown)
      },
    )
  })
}
