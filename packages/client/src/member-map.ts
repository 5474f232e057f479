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
  declare private m: Map<string, V> | null
  /** Diff to the successor: the successor, the key that differs, its value here, whether it is present here. */
  declare private d: [MemberMap<V>, string, V | undefined, boolean] | undefined
  /** This version's own entries, built on first need. */
  declare private e: Map<string, V> | undefined
  /** Number of entries in this version. */
  declare readonly size: number

  /**
   * @param map - the map this version owns (not copied: do not touch it afterwards).
   */
  constructor(map: Map<string, V> = new Map()) {
    this.m = map
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
    const m = this.m as Map<string, V>
    const diff: [MemberMap<V>, string, V | undefined, boolean] = [this, key, m.get(key), m.has(key)]
    if (value === undefined) m.delete(key)
    else m.set(key, value)
    this.m = null
    this.d = diff
    diff[0] = new MemberMap(m)
    return diff[0]
  }

  get(key: string): V | undefined {
    return (this.m ?? this.own()).get(key)
  }

  has(key: string): boolean {
    return (this.m ?? this.own()).has(key)
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, self?: unknown): void {
    this.own().forEach((v, k) => {
      fn.call(self, v, k, this)
    })
  }

  entries(): MapIterator<[string, V]> {
    return this.own().entries()
  }

  keys(): MapIterator<string> {
    return this.own().keys()
  }

  values(): MapIterator<V> {
    return this.own().values()
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  /**
   * This version's own entries: a copy of the newest version's map with the
   * diffs from the newest back to this one undone, made once.
   */
  private own(): Map<string, V> {
    if (!this.e) {
      const diffs = []
      let x: MemberMap<V> = this
      for (let d = x.d; d; d = x.d) {
        diffs.push(d)
        x = d[0]
      }
      const e = new Map(x.m)
      for (let i = diffs.length; i--; ) {
        const [, k, v, had] = diffs[i] as [MemberMap<V>, string, V, boolean]
        if (had) e.set(k, v)
        else e.delete(k)
      }
      this.e = e
    }
    return this.e
  }
}
