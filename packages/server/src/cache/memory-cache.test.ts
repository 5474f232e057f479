import { describe, expect, it } from 'vitest'
import { describeCacheAdapter } from './conformance.js'
import { memoryCache } from './memory-cache.js'

describeCacheAdapter('memoryCache (lru-cache)', async () => ({ cache: memoryCache({ max: 1000 }) }))

describe('memoryCache', () => {
  it('evicts the least recently used entry beyond max', () => {
    const cache = memoryCache({ max: 2 })
    cache.set('a', '1', 60_000)
    cache.set('b', '2', 60_000)
    expect(cache.get('a')).toBe('1') // a is now the most recently used
    cache.set('c', '3', 60_000)
    expect(cache.get('b')).toBeNull()
    expect(cache.get('a')).toBe('1')
    expect(cache.get('c')).toBe('3')
    expect(cache.size).toBe(2)
  })

  it('caps every lifetime at ttlMs, on an injected clock', () => {
    let now = 1_000
    const cache = memoryCache({ ttlMs: 100, now: () => now })
    cache.set('k', 'v', 60_000)
    now += 99
    expect(cache.get('k')).toBe('v')
    now += 2
    expect(cache.get('k')).toBeNull()
  })

  it('expires on an injected clock that starts at 0', () => {
    let now = 0
    const cache = memoryCache({ now: () => now })
    cache.set('k', 'v', 10)
    now = 11
    expect(cache.get('k')).toBeNull()
  })

  it('keeps an entry with an infinite ttl until evicted', () => {
    let now = 0
    const cache = memoryCache({ now: () => now })
    cache.set('k', 'v', Number.POSITIVE_INFINITY)
    now += 1e12
    expect(cache.get('k')).toBe('v')
  })

  it('refuses a bad configuration with CONFIG_INVALID', () => {
    expect(() => memoryCache({ max: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
    expect(() => memoryCache({ ttlMs: 0 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
  })

  it('answers synchronously, so the server pays no promise on a hit', () => {
    const cache = memoryCache()
    cache.set('k', 'v', 1000)
    expect(cache.get('k')).toBe('v')
    expect(cache.increment('n', 2, 1000)).toBe(2)
    const { increment } = cache // methods do not depend on `this`
    expect(increment('n', 1, 1000)).toBe(3)
  })
})
