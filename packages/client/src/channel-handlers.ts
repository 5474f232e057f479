import type { EventHandler } from './types.js'

/**
 * The `on()` handlers of one channel. A registration per call, so one function bound twice
 * needs two unbinds.
 *
 * @internal
 */
export interface ChannelHandlers {
  /**
   * Binds a handler.
   * @returns a function that unbinds it and tells whether it was still bound.
   */
  add(event: string, handler: EventHandler): () => boolean
  /** Calls the handlers of `event`; one that throws stops neither the others nor pusher-js. */
  dispatch(event: string, data: unknown): void
  /** The events with a handler bound, each once, in the order of their first binding. */
  events(): string[]
  /** How many handlers are bound. */
  readonly size: number
  /** Drops every handler. */
  clear(): void
}

interface HandlerEntry {
  readonly event: string
  readonly handler: EventHandler
}

/**
 * Creates an empty handler table.
 *
 * @returns the table.
 * @internal
 */
export function createChannelHandlers(): ChannelHandlers {
  const entries = new Set<HandlerEntry>()
  return {
    add(event, handler) {
      const entry: HandlerEntry = { event, handler }
      entries.add(entry)
      return () => entries.delete(entry)
    },
    dispatch(event, data) {
      for (const entry of [...entries]) {
        if (entry.event !== event) continue
        try {
          entry.handler(data)
        } catch (error) {
          // Rethrown asynchronously: reported, yet the other handlers and pusher-js go on.
          setTimeout(() => {
            throw error
          })
        }
      }
    },
    events: () => [...new Set([...entries].map((entry) => entry.event))],
    get size() {
      return entries.size
    },
    clear: () => entries.clear(),
  }
}
