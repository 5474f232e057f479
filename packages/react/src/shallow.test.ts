import { describe, expect, it } from 'vitest'
import { shallow } from './shallow.js'

describe('shallow', () => {
  it('is true for the same value, NaN included', () => {
    const o = { a: 1 }
    expect(shallow(o, o)).toBe(true)
    expect(shallow(Number.NaN, Number.NaN)).toBe(true)
    expect(shallow('a', 'a')).toBe(true)
  })

  it('compares primitives and null by identity', () => {
    expect(shallow<unknown>(1, 2)).toBe(false)
    expect(shallow<unknown>(null, {})).toBe(false)
    expect(shallow<unknown>({}, null)).toBe(false)
    expect(shallow<unknown>(undefined, null)).toBe(false)
  })

  it('compares arrays item by item', () => {
    const item = { id: 'u1' }
    expect(shallow(['a', 'b'], ['a', 'b'])).toBe(true)
    expect(shallow([item], [item])).toBe(true)
    expect(shallow([{ id: 'u1' }], [{ id: 'u1' }])).toBe(false)
    expect(shallow(['a', 'b'], ['b', 'a'])).toBe(false)
    expect(shallow(['a'], ['a', 'b'])).toBe(false)
  })

  it('compares plain objects by own keys, one level deep', () => {
    expect(shallow({ a: 1, b: 'x' }, { b: 'x', a: 1 })).toBe(true)
    expect(shallow({ a: 1 }, { a: 2 })).toBe(false)
    expect(shallow<object>({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(shallow<object>({ a: undefined }, { b: undefined })).toBe(false)
    expect(shallow({ a: { n: 1 } }, { a: { n: 1 } })).toBe(false)
  })

  it('compares Maps by entries and Sets by items', () => {
    const info = { name: 'Ada' }
    expect(shallow(new Map([['u1', info]]), new Map([['u1', info]]))).toBe(true)
    expect(shallow(new Map([['u1', info]]), new Map([['u1', { name: 'Ada' }]]))).toBe(false)
    expect(shallow(new Map([['u1', 1]]), new Map([['u2', 1]]))).toBe(false)
    expect(shallow(new Map([['u1', undefined]]), new Map([['u2', undefined]]))).toBe(false)
    expect(shallow(new Set(['a', 'b']), new Set(['b', 'a']))).toBe(true)
    expect(shallow(new Set(['a']), new Set(['a', 'b']))).toBe(false)
    expect(shallow(new Set(['a', 'c']), new Set(['a', 'b']))).toBe(false)
  })

  it('compares any map-like iterable with entries(), such as the client member maps', () => {
    class Entries {
      constructor(readonly list: [string, unknown][]) {}
      entries() {
        return this.list.values()
      }
      [Symbol.iterator]() {
        return this.entries()
      }
    }
    const m = { id: 'u1' }
    expect(shallow(new Entries([['u1', m]]), new Entries([['u1', m]]))).toBe(true)
    expect(shallow(new Entries([['u1', m]]), new Entries([['u1', { id: 'u1' }]]))).toBe(false)
    expect(shallow(new Entries([['u1', m]]), new Entries([]))).toBe(false)
  })

  it('never equates values of different kinds', () => {
    expect(shallow<unknown>([], {})).toBe(false)
    expect(shallow<unknown>(new Map(), new Set())).toBe(false)
    expect(shallow<unknown>(new Map(), {})).toBe(false)
  })
})
