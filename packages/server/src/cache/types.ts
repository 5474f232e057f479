/**
 * A small key/value store for channel data, in the style of better-auth's
 * `SecondaryStorage`: each method may return a value or a Promise.
 * Values are strings (JSON encoded by the server).
 */
export interface CacheAdapter {
  /** The stored value, or `null` when absent or expired. */
  get(key: string): string | null | undefined | Promise<string | null | undefined>
  /** Stores `value` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): void | Promise<void>
  /** Removes `key` (no error when absent). */
  delete(key: string): void | Promise<void>
  /**
   * Atomically adds `delta` to the integer at `key` (absent counts as 0),
   * sets the key's lifetime to `ttlMs`, and returns the new value. Optional:
   * only counters need it (the webhook `onlineTracker`); `memoryCache` and
   * `redisCache` implement it.
   */
  increment?(key: string, delta: number, ttlMs: number): number | Promise<number>
}
