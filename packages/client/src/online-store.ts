import type { Store } from './snapshots.js'
import { createStore } from './store.js'

/**
 * The store behind `client.online`, plus `delta` for the member stores.
 *
 * @internal
 */
export interface OnlineStore extends Store<ReadonlySet<string>> {
  getServerSnapshot(): ReadonlySet<string>
  /** A user id entered (+1) or left (-1) one presence channel. */
  delta(id: string, change: 1 | -1): void
}

/**
 * Creates the online view: user ids present in at least one joined presence
 * channel. Counting is O(1) per member event; the `Set` snapshot is built
 * lazily on the first read after a change.
 *
 * @returns the store.
 * @internal
 */
export function createOnlineStore(): OnlineStore {
  const counts = new Map<string, number>()
  // Holds the listeners; the snapshot itself is computed here, on demand.
  const changes = createStore<ReadonlySet<string>>(new Set())
  // `undefined` once stale: rebuilt on the next read.
  let snapshot: ReadonlySet<string> | undefined = changes.getSnapshot()
  return {
    subscribe: changes.subscribe,
    getSnapshot: () => (snapshot ??= new Set(counts.keys())),
    getServerSnapshot: changes.getServerSnapshot,
    delta(id, change) {
      const channelsWithUser = (counts.get(id) ?? 0) + change
      if (channelsWithUser > 0) counts.set(id, channelsWithUser)
      else counts.delete(id)
      // Only a user appearing (0 → 1) or disappearing (1 → 0) changes the set.
      if (channelsWithUser === (change > 0 ? 1 : 0)) {
        snapshot = undefined
        changes.emit()
      }
    },
  }
}
