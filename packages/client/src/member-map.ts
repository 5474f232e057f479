/**
 * An immutable map whose versions share one mutable `Map`, so a write costs
 * O(1) instead of an O(n) copy.
 *
 * The technique is Baker's "rerooting" of persistent arrays: the newest
 * version owns the `Map`; every older version keeps only the one entry that
 * differs from its successor. Reading an older version walks back to it,
 * reversing the diffs on the way (O(distance)), so the version that is read
 * becomes the owner. Members snapshots are read almost only at their newest
 * version, where every operation is O(1) and `getSnapshot()` needs no copy.
 *
 * @internal
 */
export class MemberMap<V> implements ReadonlyMap<string, V> {
  /** The shared map when this version owns it, otherwise `null`. */
  private m: Map<string, V> | null
  /** Diff to the successor: the key that differs, its value here, whether it is present here. */
  private k = ''
  private v: V | undefined
  private h = false
  private n: MemberMap<V> | null = null
  /** This version's entries, copied on first iteration. */
  private e: Map<string, V> | undefined
  /** Number of entries in this version. */
  readonly size: number

  /**
   * @param map - the map this version owns (not copied: do not touch it afterwards).
   */
  constructor(map: Map<string, V> = new Map()) {
    this.m = map
    this.size = map.size
  }

  /**
   * A new version with `key` set to `value` (or removed when `value` is
   * `undefined`). This version stays readable and unchanged.
   *
   * @param key - the key.
   * @param value - the new value, `undefined` to delete.
   * @returns the new version.
   */
  with(key: string, value: V | undefined): MemberMap<V> {
    const m = this.own()
    const had = m.has(key)
    this.k = key
    this.v = m.get(key)
    this.h = had
    if (value === undefined) m.delete(key)
    else m.set(key, value)
    const next = new MemberMap(m)
    this.m = null
    this.n = next
    return next
  }

  get(key: string): V | undefined {
    return this.own().get(key)
  }

  has(key: string): boolean {
    return this.own().has(key)
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, self?: unknown): void {
    this.copy().forEach((v, k) => {
      fn.call(self, v, k, this)
    })
  }

  entries(): MapIterator<[string, V]> {
    return this.copy().entries()
  }

  keys(): MapIterator<string> {
    return this.copy().keys()
  }

  values(): MapIterator<V> {
    return this.copy().values()
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries()
  }

  /** A private copy of this version, made on first iteration (iterating is O(n) anyway). */
  private copy(): Map<string, V> {
    this.e ??= new Map(this.own())
    return this.e
  }

  /** Makes this version the owner of the shared map (reroot) and returns it. */
  private own(): Map<string, V> {
    if (this.m) return this.m
    const path: MemberMap<V>[] = []
    let x: MemberMap<V> = this
    while (!x.m) {
      path.push(x)
      x = x.n as MemberMap<V>
    }
    const m = x.m
    for (let i = path.length - 1; i >= 0; i--) {
      const p = path[i] as MemberMap<V>
      // x owns m; p differs from x at p.k: give x that diff reversed, then move m to p.
      x.k = p.k
      x.h = m.has(p.k)
      x.v = m.get(p.k)
      x.n = p
      x.m = null
      if (p.h) m.set(p.k, p.v as V)
      else m.delete(p.k)
      p.m = m
      p.n = null
      p.v = undefined
      x = p
    }
    return m
  }
}
