import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CacheAdapter } from './types.js'

/** What one cache adapter's test file provides to {@link describeCacheAdapter}. */
export interface CacheAdapterSetup {
  cache: CacheAdapter
  teardown?(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let unique = 0
const key = (name: string) => `conformance:${process.pid}:${++unique}:${name}`

/**
 * The one conformance suite every cache adapter passes (STYLE.md §7): absent
 * is null, values round-trip byte for byte, overwrite and delete, per-entry
 * TTLs expire, a non-positive TTL stores nothing, and `increment` is atomic
 * under concurrency and refreshes the lifetime.
 *
 * @param name - the adapter's name in the test report.
 * @param setup - builds the adapter (and its real backend).
 */
export function describeCacheAdapter(name: string, setup: () => Promise<CacheAdapterSetup>) {
  describe(`cache adapter conformance: ${name}`, () => {
    let cache: CacheAdapter
    let ctx: CacheAdapterSetup
    beforeAll(async () => {
      ctx = await setup()
      cache = ctx.cache
    })
    afterAll(async () => {
      await ctx?.teardown?.()
    })

    it('answers null (or undefined) for an absent key', async () => {
      expect((await cache.get(key('absent'))) ?? null).toBeNull()
    })

    it('round-trips strings exactly: JSON, unicode, empty, 64 KB', async () => {
      const values = [
        JSON.stringify({ member: { user_id: 'u1', user_info: { name: 'Zoë 🚀' } }, events: [] }),
        'ünïcødé ✓ 中文',
        '',
        'x'.repeat(64 * 1024),
      ]
      for (const [i, value] of values.entries()) {
        const k = key(`value-${i}`)
        await cache.set(k, value, 10_000)
        expect(await cache.get(k)).toBe(value)
      }
    })

    it('overwrites, and deletes (deleting an absent key is fine)', async () => {
      const k = key('overwrite')
      await cache.set(k, 'one', 10_000)
      await cache.set(k, 'two', 10_000)
      expect(await cache.get(k)).toBe('two')
      await cache.delete(k)
      expect((await cache.get(k)) ?? null).toBeNull()
      await cache.delete(k)
    })

    it('expires each entry after its own ttlMs', async () => {
      const short = key('short')
      const long = key('long')
      await cache.set(short, 'short', 40)
      await cache.set(long, 'long', 60_000)
      expect(await cache.get(short)).toBe('short')
      await sleep(150)
      expect((await cache.get(short)) ?? null).toBeNull()
      expect(await cache.get(long)).toBe('long')
    })

    it('stores nothing for a ttl of 0 or less (and drops an older value)', async () => {
      const k = key('zero')
      await cache.set(k, 'old', 60_000)
      await cache.set(k, 'new', 0)
      expect((await cache.get(k)) ?? null).toBeNull()
      await cache.set(k, 'neg', -5)
      expect((await cache.get(k)) ?? null).toBeNull()
    })

    it('accepts fractional ttls', async () => {
      const k = key('fraction')
      await cache.set(k, 'v', 2500.5)
      expect(await cache.get(k)).toBe('v')
    })

    it('increments atomically under concurrency, from absent = 0', async () => {
      expect(cache.increment).toBeTypeOf('function')
      const increment = cache.increment?.bind(cache)
      if (!increment) return
      const k = key('counter')
      const results = await Promise.all(Array.from({ length: 50 }, () => increment(k, 1, 10_000)))
      expect([...results].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      expect(await increment(k, -20, 10_000)).toBe(30)
      expect(await cache.get(k)).toBe('30')
    })

    it('gives a counter the lifetime of its last increment', async () => {
      const increment = cache.increment?.bind(cache)
      if (!increment) return
      const k = key('counter-ttl')
      await increment(k, 3, 60_000)
      await increment(k, 1, 40)
      await sleep(150)
      expect((await cache.get(k)) ?? null).toBeNull()
      expect(await increment(k, 1, 60_000)).toBe(1)
    })
  })
}
