// Arrays, Maps, Sets and the client's member maps have `entries()`; plain objects do not.
const entries = (x: { entries?: unknown }): Iterable<readonly [unknown, unknown]> =>
  typeof x.entries === 'function' ? x.entries() : Object.entries(x)

/**
 * Compares two values one level deep: the same value (`Object.is`), or two objects of the same
 * kind with the same entries — arrays item by item in order, `Map`s (and the client's member
 * maps) key by key, `Set`s item by item, plain objects by own keys. Pass it to
 * {@link useMembers} when the selector builds a new array or object each time, so the
 * component re-renders only when the content changes.
 *
 * @param a - the previous selection
 * @param b - the next selection
 * @returns `true` when the two are shallowly equal
 * @example
 * const ids = useMembers('presence-messenger', (s) => [...s.members.keys()], shallow)
 */
export function shallow<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true
  // Same constructor: `b` is an object of the same kind when `a` is one.
  if (!a || !b || typeof a !== 'object' || a.constructor !== b.constructor) return false
  const x = new Map(entries(a))
  const y = new Map(entries(b))
  return x.size === y.size && [...x].every(([k, v]) => y.has(k) && Object.is(v, y.get(k)))
}
