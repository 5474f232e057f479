/**
 * A short reconnect storm for CI: 100 pusher-js clients through
 * `@presence/client`, each in 5 private channels and 1 presence channel,
 * against two app instances; the soketi node restarts and every client comes
 * back at once. Correctness only (no timing is asserted): every member store
 * converges to soketi's own member list, no client sees an error, the app
 * never answers non-2xx, and batching holds (one session lookup per request,
 * fewer requests than channels).
 *
 * One soketi node with its local adapter: with the Redis adapter, soketi
 * 1.6.1 itself loses members of simultaneous presence joins (measured by
 * `bench/soketi-race.ts`, documented in docs/scaling-out.md), which no client
 * can prevent.
 */
import { describe, expect, it } from 'vitest'
import { runStorm } from '../bench/storm.js'

describe('reconnect storm (100 clients, a soketi restart)', () => {
  it('every member store converges to soketi’s member list, with no error and batched authorization', async () => {
    const result = await runStorm('presence', {
      clients: 100,
      workers: 2,
      nodes: 1,
      convergeTimeoutMs: 60_000,
    })
    expect(result.errors).toEqual([])
    expect(result.setupConverged).toBe(true)
    expect(result.convergedMs).not.toBeNull()
    expect(result.wrongStores).toBe(0)
    expect(result.non2xx).toBe(0)
    // every client re-authorized its 6 channels after the restart…
    expect(result.channelsAuthorized).toBeGreaterThanOrEqual(600)
    // …in batches: one session lookup per request, far fewer requests than channels
    expect(result.sessions).toBe(result.requests)
    expect(result.requests).toBeLessThan(result.channelsAuthorized / 2)
  }, 240_000)
})
