/**
 * A short reconnect storm for CI: 100 pusher-js clients through
 * `@presence/client`, each in 5 private channels and 1 presence channel,
 * against two app instances; the soketi node restarts and every client comes
 * back at once. Correctness only (no timing is asserted): every member store
 * converges to soketi's own member list, no client sees an error, the app
 * never answers non-2xx, and batching holds (one session lookup per request,
 * fewer requests than channels).
 *
 * Two soketi nodes sharing one redis-server: soketi 1.6.1's Redis adapter
 * announces presence joins made at the same moment on the other node before
 * the joining client's `subscription_succeeded` (measured by
 * `bench/soketi-race.ts`, documented in docs/scaling-out.md); the member
 * stores must still converge.
 */
import { describe, expect, it } from 'vitest'
import { runStorm } from '../bench/storm.js'

describe('reconnect storm (100 clients, a soketi restart)', () => {
  it('every member store converges to soketi’s member list, with no error and batched authorization', async () => {
    const result = await runStorm('presence', {
      clients: 100,
      workers: 2,
      nodes: 2,
      convergeTimeoutMs: 60_000,
    })
    expect(result.errors).toEqual([])
    expect(result.setupConverged).toBe(true)
    expect(result.convergedMs).not.toBeNull()
    expect(result.wrongStores).toBe(0)
    expect(result.non2xx).toBe(0)
    // every client of the restarted node (half of them) re-authorized its 6 channels…
    expect(result.channelsAuthorized).toBeGreaterThanOrEqual(300)
    // …in batches: one session lookup per request, far fewer requests than channels
    expect(result.sessions).toBe(result.requests)
    expect(result.requests).toBeLessThan(result.channelsAuthorized / 2)
  }, 240_000)
})
