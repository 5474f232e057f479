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

  it('ends offline when a leave is delivered before its join', async () => {
    const online = onlineTracker({ cache: memoryCache() })
    await online.memberRemoved('presence-a', 'u1')
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(false)
    await online.memberAdded('presence-a', 'u1')
    expect(await online.isOnline('u1')).toBe(true)
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
