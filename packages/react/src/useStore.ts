'use client'
import type { Store } from '@presence/client'
import { useRef, useSyncExternalStore } from './react.js'

/** The subscription to no store: nothing ever changes. */
const nothing = () => () => {}

/** Selects the whole snapshot. @internal */
export const identity = <S>(s: S): S => s

/** The last snapshot read, the selector applied to it and the selection kept. */
type Memo<S, T> = [snapshot: S, select: (snapshot: S) => T, value: T]

/**
 * Reads a selection of a store with `useSyncExternalStore`, the way
 * `useSyncExternalStoreWithSelector` does: the selection is computed once per snapshot (and
 * again when `select` changes), and a new selection equal to the previous one under `isEqual`
 * is replaced by the previous one, so React bails out of the render. On the server, and while
 * hydrating, it reads `store.getServerSnapshot()` (or the current snapshot if there is none).
 * Without a store (no client yet), it reads `idle`.
 *
 * @param store - the store to read, if there is a client.
 * @param idle - the snapshot to read without a store.
 * @param select - picks the value the component needs; it may be a new function every render.
 * @param isEqual - decides whether a new selection is the same as the previous one.
 * @returns the selection.
 * @internal
 */
export function useStore<S, T>(
  store: Store<S> | undefined,
  idle: S,
  select: (snapshot: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const memo = useRef<Memo<S, T>>(undefined)
  const pick = (snapshot: S): T => {
    const m = memo.current
    // Snapshots are never `undefined`, so `m?.[0] === snapshot` implies a memo.
    if (m?.[0] === snapshot && m[1] === select) return m[2]
    const value = select(snapshot)
    const kept = m && isEqual(m[2], value) ? m[2] : value
    memo.current = [snapshot, select, kept]
    return kept
  }
  // The client's stores are shaped for useSyncExternalStore: their methods work unbound and
  // keep their identity, so `subscribe` is passed as it is (no resubscription per render).
  return useSyncExternalStore(
    store ? store.subscribe : nothing,
    () => pick(store ? store.getSnapshot() : idle),
    () => pick(store ? (store.getServerSnapshot ?? store.getSnapshot)() : idle),
  )
}
