/**
 * Priority lanes across requests: a server-wide cap on running authorizers, a `high` lane
 * served first, sessions taking turns within a lane, channels refused without their
 * authorizer when their limit runs out in the queue, and abandoned calls counted and capped.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { ALICE, BOB, bearerSessions, post, signer } from '../server-fixture.js'
import type { DecisionEvent } from './decision-event.js'

/**
 * Counts authorizers running at once, and which channels' authorizers were called, in the
 * order they started. Each one honours its `signal`, as a database query given it would: an
 * aborted call has ended.
 */
function probe() {
  const state = { running: 0, peak: 0, called: new Set<string>(), order: [] as string[] }
  const run = async (name: string, ms: number, signal: AbortSignal) => {
    state.called.add(name)
    state.order.push(name)
    state.running++
    state.peak = Math.max(state.peak, state.running)
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      state.running--
    }
    signal.addEventListener('abort', end)
    try {
      await sleep(ms, undefined, { signal })
    } finally {
      end()
    }
  }
  /** How many authorizers started after the `mark`-th start and before `name`'s (-1: never ran). */
  const startedAhead = (name: string, mark: number) =>
    state.order.includes(name) ? state.order.indexOf(name) - mark : -1
  return { state, run, startedAhead }
}

const batch = (channels: string[], headers: Record<string, string>) =>
  post('/batch', { socket_id: '1.2', channels }, headers)

describe('limits.maxInFlight', () => {
  it('caps authorizers across requests, serves presence first, refuses expired waiters unrun', async () => {
    const { state, run, startedAhead } = probe()
    const events: DecisionEvent[] = []
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      limits: { maxInFlight: 8 },
      onDecision: (event) => events.push(event),
      channels: {
        'private-doc-{id}': async ({ channel, signal }) => {
          await run(channel.name, 300, signal)
          return true
        },
        'presence-room': async ({ user, channel, signal }) => {
          await run(channel.name, 300, signal)
          return { user_id: user.userId }
        },
      },
    })
    const started = performance.now()
    const flood = Array.from({ length: 10 }, (_, r) =>
      presence.handlers
        .batch(
          batch(
            Array.from({ length: 40 }, (_, c) => `private-doc-${r}x${c}`),
            ALICE,
          ),
        )
        .then(async (response) => ({
          ms: performance.now() - started,
          body: (await response.json()) as Record<
            string,
            { auth?: string; error?: { code: string } }
          >,
        })),
    )
    await sleep(200)
    const startedBefore = state.order.length
    const answer = await presence.handlers.auth(
      post('/auth', 'socket_id=1.2&channel_name=presence-room', BOB),
    )
    expect(answer.status).toBe(200)
    // Served first: the presence channel takes the next free slot, ahead of the ~390 private
    // channels already queued. Counted in authorizer starts, not milliseconds, so a slow
    // machine cannot fail it: only the authorizers already running (8 slots) may start before.
    const presenceAhead = startedAhead('presence-room', startedBefore)
    expect(presenceAhead).toBeGreaterThanOrEqual(0)
    expect(presenceAhead).toBeLessThanOrEqual(8)

    const answered = await Promise.all(flood)
    expect(state.peak).toBeLessThanOrEqual(8)
    let timedOut = 0
    for (const { ms, body } of answered) {
      expect(ms).toBeLessThanOrEqual(2000 + 1000)
      for (const [name, entry] of Object.entries(body)) {
        if (entry.auth) expect(state.called.has(name)).toBe(true)
        else {
          expect(entry.error?.code).toBe('TIMEOUT')
          if (!state.called.has(name)) timedOut++
        }
      }
    }
    // 8 slots × 2 s / 300 ms: most of the 400 channels expire in the queue, never run.
    expect(timedOut).toBeGreaterThan(300)
    expect(state.called.size).toBeLessThan(80)
    expect(events).toHaveLength(401)
    for (const event of events) expect(typeof event.queuedMs).toBe('number')
    expect(events.some((event) => event.queuedMs > 0)).toBe(true)
    const room = events.find((event) => event.channel === 'presence-room')!
    expect(room.outcome).toBe('allow')
    expect(room.queuedMs).toBeGreaterThan(0)
  })

  it("keeps one session's flood from starving another session's request", async () => {
    const { state, run, startedAhead } = probe()
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      limits: { maxInFlight: 8 },
      channels: {
        'private-doc-{id}': async ({ channel, signal }) => {
          await run(channel.name, 20, signal)
          return true
        },
      },
    })
    const flood = Array.from({ length: 200 }, (_, r) =>
      presence.handlers.batch(
        batch(
          Array.from({ length: 100 }, (_, c) => `private-doc-${r}x${c}`),
          ALICE,
        ),
      ),
    )
    await sleep(100)
    const startedBefore = state.order.length
    const answer = await presence.handlers.batch(batch(['private-doc-bob'], BOB))
    const body = (await answer.json()) as Record<string, { auth?: string; error?: unknown }>
    expect(body['private-doc-bob']?.auth).toMatch(/^app-key:/)
    // Sessions take turns: Bob's one channel starts within a round of the 8 slots, not after
    // the thousands of Alice's channels queued before it (counted in starts, not milliseconds).
    const bobAhead = startedAhead('private-doc-bob', startedBefore)
    expect(bobAhead).toBeGreaterThanOrEqual(0)
    expect(bobAhead).toBeLessThanOrEqual(8)
    const flooded = await Promise.all(flood.map(async (r) => (await (await r).json()) as object))
    expect(flooded).toHaveLength(200)
    expect(state.peak).toBeLessThanOrEqual(8)
  })

  it('gives the slot of an authorizer that ignores its signal back at its limit, counted and capped', async () => {
    const events: DecisionEvent[] = []
    let released = () => {}
    const stuck = new Promise<void>((resolve) => {
      released = resolve
    })
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      limits: { maxInFlight: 1, maxAbandoned: 1 },
      onDecision: (event) => events.push(event),
      channels: {
        'private-stuck-{id}': {
          timeoutMs: 100,
          authorize: async () => {
            await stuck
            return true
          },
        },
        'private-quick-{id}': { timeoutMs: 1000, authorize: () => true },
      },
    })
    // The first stuck call is abandoned at 100 ms and frees its slot: the quick channel runs.
    const first = await presence.handlers.batch(
      batch(['private-stuck-1', 'private-quick-1'], ALICE),
    )
    const one = (await first.json()) as Record<string, { auth?: string; error?: { code: string } }>
    expect(one['private-stuck-1']?.error?.code).toBe('TIMEOUT')
    expect(one['private-quick-1']?.auth).toMatch(/^app-key:/)
    expect(events.find((e) => e.channel === 'private-stuck-1')?.abandonedCalls).toBe(1)
    // A second stuck call finds the cap reached: it keeps its slot, so the quick channel
    // behind it waits past its own limit and is refused without running.
    const second = await presence.handlers.batch(batch(['private-stuck-2', 'private-quick-2'], BOB))
    const two = (await second.json()) as Record<string, { error?: { code: string } }>
    expect(two['private-stuck-2']?.error?.code).toBe('TIMEOUT')
    expect(events.find((e) => e.channel === 'private-stuck-2')?.abandonedCalls).toBeUndefined()
    released()
    await sleep(10)
    const third = await presence.handlers.auth(
      post('/auth', 'socket_id=1.2&channel_name=private-quick-3', ALICE),
    )
    expect(third.status).toBe(200)
  })

  it('rejects a maxInFlight that is not a positive integer', () => {
    expect(() =>
      createPresenceServer({
        signer,
        session: bearerSessions(),
        channels: {},
        limits: { maxInFlight: 0 },
      }),
    ).toThrowError(/limits.maxInFlight/)
  })
})
