import { describe, expect, it } from 'vitest'
import { memoryCache } from '../cache/memory-cache.js'
import { onlineTracker } from './online-tracker.js'

describe('onlineTracker', () => {
  it('is online while in at least one presence channel', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    expect(await online.isOnline('u1')).toBe(false)
    await online.memberAdded('presence-a', 'u1')
    await online.memberAdded('presence-b', 'u1')
    expect(await online.channelCount('u1')).toBe(2)
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    expect(await online.isOnlineIn('u1', 'presence-a')).toBe(false)
    expect(await online.isOnlineIn('u1', 'presence-b')).toBe(true)
    await online.memberRemoved('presence-b', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
    expect(await online.channelCount('u1')).toBe(0)
  })

  it('counts connections per channel, for servers that report each connection', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    await online.memberAdded('presence-a', 'u1')
    await online.memberAdded('presence-a', 'u1')
    expect(await online.channelCount('u1')).toBe(1)
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
  })

  it('ignores a leave without a join: the join that follows counts (never below zero)', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.channelCount('u1')).toBe(0)
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    expect(await online.isOnlineIn('u1', 'presence-a')).toBe(true)
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
  })

  it('recovers after the counters of a member present longer than ttlMs expired', async () => {
    let now = 5_000
    const cache = memoryCache({ now: () => now })
    const online = onlineTracker({ cache, ttlMs: 1000 })
    await online.memberAdded('presence-a', 'u1')
    now += 5_000
    // The member left after their counters expired, then came back.
    await online.memberRemoved('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    expect(await online.channelCount('u1')).toBe(1)
    expect(await cache.get('online:c:presence-a:u1')).toBe('1')
  })

  it('recovers after a counter was evicted from the cache', async () => {
    const cache = memoryCache()
    const online = onlineTracker({ cache })
    await online.memberAdded('presence-a', 'u1')
    await online.memberAdded('presence-b', 'u1')
    // The memory cache dropped the user's counter (its LRU bound), then events went on.
    cache.delete('online:u:u1')
    await online.memberRemoved('presence-a', 'u1')
    expect(await cache.get('online:u:u1')).toBe('0')
    await online.memberAdded('presence-c', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    await online.memberRemoved('presence-b', 'u1')
    await online.memberRemoved('presence-c', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
  })

  it('lifts a counter left under zero by an earlier version to a fresh join', async () => {
    const cache = memoryCache()
    cache.set('online:c:presence-a:u1', '-1', 60_000)
    cache.set('online:u:u1', '-1', 60_000)
    const online = onlineTracker({ cache })
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
    expect(await online.isOnlineIn('u1', 'presence-a')).toBe(true)
  })

  it('agrees across instances sharing one cache, under concurrent events', async () => {
    const cache = memoryCache()
    const a = onlineTracker({ cache })
    const b = onlineTracker({ cache })
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).memberAdded(`presence-${i % 5}`, `u${i % 3}`),
      ),
    )
    expect(await a.channelCount('u0')).toBe(await b.channelCount('u0'))
    expect(await b.isOnline('u2')).toBe(true)
  })

  it('recognises a redelivery once, and can forget a failed one', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    expect(await online.firstDelivery('sig-1')).toBe(true)
    expect(await online.firstDelivery('sig-1')).toBe(false)
    await online.forgetDelivery('sig-1')
    expect(await online.firstDelivery('sig-1')).toBe(true)
  })

  it('forgets a user whose leave never arrived after ttlMs', async () => {
    let now = 5_000
    const online = onlineTracker({ cache: memoryCache({ now: () => now }), ttlMs: 1000 })
    await online.memberAdded('presence-a', 'u1')
    now += 999
    expect(await online.isOnline('u1')).toBe(true)
    now += 2
    expect(await online.isOnline('u1')).toBe(false)
  })

  it('keeps user ids with separators apart', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    await online.memberAdded('presence-a', 'x:c:y')
    expect(await online.isOnline('x')).toBe(false)
    expect(await online.isOnline('x:c:y')).toBe(true)
  })

  it('needs a cache with increment (CONFIG_INVALID otherwise)', () => {
    const plain = { get: () => null, set: () => {}, delete: () => {} }
    expect(() => onlineTracker({ cache: plain })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
  })
})
