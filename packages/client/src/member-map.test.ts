import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemberMap } from './member-map.js'

describe('MemberMap', () => {
  it('keeps every version readable and unchanged, whatever the order of reads (property)', () => {
    const op = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      fc.option(fc.integer(), { nil: undefined }),
    )
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (ops, reads) => {
          const versions: MemberMap<number>[] = [new MemberMap(new Map())]
          const models: Map<string, number>[] = [new Map()]
          for (const [key, value] of ops) {
            versions.push((versions.at(-1) as MemberMap<number>).with(key, value))
            const model = new Map(models.at(-1))
            if (value === undefined) model.delete(key)
            else model.set(key, value)
            models.push(model)
          }
          // Read versions in an arbitrary order (each read reroots), then all of them again.
          const order = [...reads.map((r) => r % versions.length), ...versions.keys()]
          for (const i of order) {
            const v = versions[i] as MemberMap<number>
            const m = models[i] as Map<string, number>
            expect(v.size).toBe(m.size)
            for (const k of ['a', 'b', 'c', 'd', 'e']) {
              expect(v.get(k)).toBe(m.get(k))
              expect(v.has(k)).toBe(m.has(k))
            }
          }
          for (const [i, v] of versions.entries()) {
            expect(new Map(v)).toEqual(models[i])
          }
        },
      ),
    )
  })

  it('writes on the newest version after an old one was read', () => {
    const v0 = new MemberMap(new Map([['a', 1]]))
    const v1 = v0.with('b', 2)
    expect(v0.get('b')).toBeUndefined() // reroots to v0
    const v2 = v1.with('c', 3)
    expect([...v2.keys()]).toEqual(['a', 'b', 'c'])
    expect([...v1.keys()]).toEqual(['a', 'b'])
    expect([...v0.entries()]).toEqual([['a', 1]])
  })

  it('implements the ReadonlyMap surface', () => {
    const m = new MemberMap(new Map([['x', 1]])).with('y', 2)
    const seen: [string, number][] = []
    m.forEach((v, k, map) => {
      expect(map).toBe(m)
      seen.push([k, v])
    })
    expect(seen).toEqual([
      ['x', 1],
      ['y', 2],
    ])
    expect([...m.values()]).toEqual([1, 2])
    expect([...m]).toEqual(seen)
  })
})
