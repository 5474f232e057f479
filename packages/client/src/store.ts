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
      const l = () => listener()
      listeners.add(l)
      return () => listeners.delete(l)
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
      for (const l of [...listeners]) l()
    },
  }
  return store
}
