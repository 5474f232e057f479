/**
 * An immutable map whose versions share one mutable `Map`, so a write costs
 * O(1) instead of an O(n) copy.
 *
 * The newest version owns the shared `Map`; every older version keeps only
 * the one entry that differs from its successor (a diff chain, as in Baker's
 * persistent arrays). Members snapshots are read almost only at their newest
 * version, where `with`, `get`, `has` and `size` are O(1) and `getSnapshot()`
 * needs no copy. Reading an older version, or iterating any version, builds
 * that version's own `Map` once (O(n + distance to the newest)) and keeps it.
 *
 * @internal
 */
export class MemberMap<V> implements ReadonlyMap<string, V> {
  /** The shared map while this version is the newest, then `null`. */
  #shared: Map<string, V> | null
  /** How this version differs from its successor, once it has one. */
  #diff: VersionDiff<V> | undefined
  /** This version's own entries, built on first need. */
  #own: Map<string, V> | undefined
  /** Number of entries in this version. */
  readonly size: number

  /**
   * @param map - the map this version owns (not copied: do not touch it afterwards).
   */
  constructor(map: Map<string, V> = new Map()) {
    this.#shared = map
    this.size = map.size
  }

  /**
   * A new version with `key` set to `value` (or removed when `value` is
   * `undefined`). Call it on the newest version only; this version stays
   * readable and unchanged.
   *
   * @param key - the key.
   * @param value - the new value, `undefined` to delete.
   * @returns the new version.
   */
  with(key: string, value: V | undefined): MemberMap<V> {
    const shared = this.#shared as Map<string, V>
    const diff: VersionDiff<V> = {
      successor: this,
      key,
      value: shared.get(key),
      present: shared.has(key),
    }
    if (value === undefined) shared.delete(key)
    else shared.set(key, value)
    this.#shared = null
    this.#diff = diff
    const successor = new MemberMap(shared)
    diff.successor = successor
    return successor
  }

  get(key: string): V | undefined {
    return (this.#shared ?? this.#entries()).get(key)
  }

  has(key: string): boolean {
    return (this.#shared ?? this.#entries()).has(key)
  }

  forEach(
    callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void,
    thisArg?: unknown,
  ): void {
    this.#entries().forEach((value, key) => {
      callback.call(thisArg, value, key, this)
    })
  }

  entries(): MapIterator<[string, V]> {
    return this.#entries().entries()
  }

  keys(): MapIterator<string> {
    return this.#entries().keys()
  }

  values(): MapIterator<V> {
    return this.#entries().values()
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  /**
   * This version's own entries: a copy of the newest version's map with the
   * diffs from the newest back to this one undone, made once.
   */
  #entries(): Map<string, V> {
    if (!this.#own) {
      const diffs: VersionDiff<V>[] = []
      let version: MemberMap<V> = this
      for (let diff = version.#diff; diff; diff = version.#diff) {
        diffs.push(diff)
        version = diff.successor
      }
      const own = new Map(version.#shared)
      for (const { key, value, present } of diffs.reverse()) {
        if (present) own.set(key, value as V)
        else own.delete(key)
      }
      this.#own = own
    }
    return this.#own
  }
}

/** How one version differs from its successor: one key. */
interface VersionDiff<V> {
  /** The next version. */
  successor: MemberMap<V>
  /** The key whose entry differs. */
  key: string
  /** Its value in this version. */
  value: V | undefined
  /** Whether this version has the key. */
  present: boolean
}
