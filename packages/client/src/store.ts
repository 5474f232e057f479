import type { Store } from './types.js'

/**
 * A {@link Store} whose value is replaced with `set`, plus `set` and `emit`.
 *
 * @internal
 */
export interface WritableStore<T> extends Store<T> {
  getServerSnapshot(): T
  /**
   * Replaces the value and notifies listeners, unless it is the same reference.
   *
   * @param value - the new snapshot.
   */
  set(value: T): void
  /** Notifies listeners (for stores that compute their snapshot lazily). */
  emit(): void
  /** Whether any listener is subscribed. */
  hasListeners(): boolean
}

/**
 * Creates a {@link WritableStore}.
 *
 * @param initial - the first snapshot, also the server snapshot.
 * @returns the store.
 * @internal
 */
export function createStore<T>(initial: T): WritableStore<T> {
  let value = initial
  const listeners = new Set<() => void>()
  const store: WritableStore<T> = {
    subscribe(listener) {
      // Wrapped, so the same function subscribed twice needs two unsubscribes.
      const notify = () => listener()
      listeners.add(notify)
      return () => listeners.delete(notify)
    },
    getSnapshot: () => value,
    getServerSnapshot: () => initial,
    set(next) {
      if (!Object.is(next, value)) {
        value = next
        store.emit()
      }
    },
    emit() {
      for (const notify of [...listeners]) notify()
    },
    hasListeners: () => listeners.size > 0,
  }
  return store
}
