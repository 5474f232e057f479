/**
 * Client events leave through one outbox per connection, paced to Pusher's limit of 10 client
 * events per second per connection: the first goes at once, the next ones at least
 * `intervalMs` apart. Messages put under the same key before they leave are coalesced (the
 * last one wins, in the place of the first): a burst of state updates is one event.
 *
 * @internal
 * @module
 */

/** The outbox of one connection. @internal */
export interface Outbox {
  /**
   * Queues a message.
   * @param key - messages with the same key coalesce (the last `send` wins); a unique key
   *   keeps every message.
   * @param send - sends it now; called once, when its turn comes.
   */
  put(key: string, send: () => void): void
  /** Drops every queued message (client destroyed). */
  clear(): void
}

/**
 * Creates an outbox.
 *
 * @param intervalMs - the least time between two messages (100: Pusher's 10 per second).
 * @param now - the clock.
 * @returns the outbox.
 * @internal
 */
export function createOutbox(intervalMs = 100, now: () => number = Date.now): Outbox {
  const queue = new Map<string, () => void>()
  let lastSentAt = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    timer = undefined
    const wait = lastSentAt + intervalMs - now()
    if (wait > 0) {
      timer = setTimeout(flush, wait)
      return
    }
    const [key, send] = queue.entries().next().value ?? []
    if (!key || !send) return
    queue.delete(key)
    lastSentAt = now()
    send()
    if (queue.size > 0) timer = setTimeout(flush, intervalMs)
  }
  return {
    put(key, send) {
      queue.set(key, send)
      if (!timer) flush()
    },
    clear() {
      queue.clear()
      clearTimeout(timer)
      timer = undefined
    },
  }
}
