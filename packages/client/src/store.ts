import type { Store } from './snapshots.js'

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
 * What a store's owner is told about its listeners, declared when the store is created
 * (rather than by replacing its `subscribe`).
 *
 * @internal
 */
export interface StoreHooks {
  /** Called before the first listener is added (none were subscribed). */
  onFirstListener?(): void
  /** Called after the last listener was removed. */
  onLastListener?(): void
}

/**
 * Creates a {@link WritableStore}.
 *
 * @param initial - the first snapshot, also the server snapshot.
 * @param hooks - told when the store gains its first listener and loses its last.
 * @returns the store.
 * @internal
 */
export function createStore<T>(initial: T, hooks: StoreHooks = {}): WritableStore<T> {
  let value = initial
  const listeners = new Set<() => void>()
  const store: WritableStore<T> = {
    subscribe(listener) {
      // Wrapped, so the same function subscribed twice needs two unsubscribes.
      const notify = () => listener()
      if (listeners.size === 0) hooks.onFirstListener?.()
      listeners.add(notify)
      return () => {
        if (listeners.delete(notify) && listeners.size === 0) hooks.onLastListener?.()
      }
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
