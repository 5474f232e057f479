/**
 * Real pusher-js clients through @presence/client
 * against soketi and this app; one HTTP request for ten channels, retained
 * events before live ones, a refused order, and the refusal counted at /metrics.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { waitFor } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack, TEST_METRICS_TOKEN } from './testing/stack.js'

const PRIVATE = [
  'private-user@1',
  'private-feed@1',
  'private-goal@7',
  'private-stream@42',
  'private-stream-viewer@42',
  'private-session@501',
  'private-asset@301',
] as const
const PRESENCE = ['presence-stream@42', 'presence-goal@7'] as const
const REFUSED = 'private-order@1001'
const CHANNELS = [...PRIVATE, ...PRESENCE, REFUSED]

let stack: Stack
let client: PresenceClient
let trigger: Pusher
/** Per private channel: what reached the client, in order (`live` marks triggered events). */
const received = new Map<string, Array<{ event: string; live: boolean }>>()
let expected: Map<string, string[]>

function authRequests(): Promise<number> {
  return stack.nodes[0]!.app.metrics.authRequests.get().then((metric) =>
    metric.values.reduce((sum, value) => sum + value.value, 0),
  )
}

beforeAll(async () => {
  stack = await startStack()
  const node = stack.nodes[0]!
  // What each private channel retains, written out from the service's description
  // (the per-feature receivers and the "all senders" stored events).
  expected = new Map<string, string[]>([
    [
      'private-user@1',
      [
        'stream.online',
        'stream.viewers.updated',
        'goal.started',
        'goal.progress.updated',
        'goal.added',
        'session.rating.updated',
        'device.online',
        'user.online',
        'user.reply-price-changed',
        'level.updated',
      ],
    ],
    ['private-feed@1', []],
    ['private-goal@7', ['goal.updated']],
    [
      'private-stream@42',
      [
        'stream.online',
        'stream.revenue.updated',
        'goal.started',
        'goal.progress.updated',
        'goal.added',
        'session.tip.received',
        'session.poll.started',
        'stream.viewers.updated',
        'source.online',
        'session.rating.updated',
        'device.online',
        'stream.announcement',
      ],
    ],
    ['private-stream-viewer@42', ['stream.viewers.updated']],
    [
      'private-session@501',
      ['session.tip.received', 'session.poll.started', 'session.rating.updated'],
    ],
    ['private-asset@301', []],
  ])
  trigger = new Pusher(node.soketi.pusherOptions)
  client = createPresenceClient({
    pusher: { key: node.soketi.key, ...node.soketi.pusherJsOptions },
    auth: {
      endpoint: `${node.url}/pusher/auth`,
      batchEndpoint: `${node.url}/pusher/batch-authenticate`,
      // eve: signed in, but neither buyer nor seller of order 1001.
      headers: { Authorization: 'Bearer token-eve', 'X-Client-ID': 'test-client' },
    },
    user: { id: '5' },
  })
})

afterAll(async () => {
  client?.destroy()
  await stack?.stop()
})

describe('ten channels across the features through @presence/client', () => {
  it('authorizes them in one HTTP request, retained events before live ones, the order refused', {
    timeout: 120_000,
  }, async () => {
    const before = await authRequests()
    for (const [name, events] of expected) {
      const log: Array<{ event: string; live: boolean }> = []
      received.set(name, log)
      const names = new Set([...events, 'test.live'])
      for (const event of names) {
        client.on<{ live?: boolean }>(name, event, (data) => {
          log.push({ event, live: data?.live === true })
        })
      }
    }
    const handles = CHANNELS.map((name) => client.subscribe(name))

    // Live events are triggered from the moment the socket is up, so some race the subscription.
    let live = true
    const pump = (async () => {
      while (live) {
        // The same name as a retained event (the client must not confuse them) and a plain one.
        await Promise.all([
          trigger.trigger([...expected.keys()], 'test.live', { live: true }),
          ...[...expected].map(([channel, events]) =>
            trigger.trigger(channel, events[0] ?? 'test.live', { live: true }),
          ),
        ])
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    })()
    try {
      await waitFor(
        () =>
          [...PRIVATE, ...PRESENCE].every(
            (name) => client.members(name).getSnapshot().status === 'subscribed',
          ) && [...received.values()].every((log) => log.some((entry) => entry.live)),
        { timeoutMs: 40_000, what: 'every allowed channel subscribed and a live event on each' },
      )
      await waitFor(() => client.members(REFUSED).getSnapshot().status === 'forbidden', {
        timeoutMs: 30_000,
        what: `${REFUSED} refused`,
      })
    } finally {
      live = false
      await pump
    }

    expect(await authRequests()).toBe(before + 1)

    const refused = client.members(REFUSED).getSnapshot()
    expect(refused.error).toMatchObject({ code: 'ORDER_FORBIDDEN', status: 403 })

    for (const name of PRESENCE) {
      const snapshot = client.members<{ name: string }>(name).getSnapshot()
      expect(snapshot.me?.id).toBe('5')
      expect(snapshot.me?.info.name).toBe('eve')
    }

    for (const [name, events] of expected) {
      const log = received.get(name)!
      const firstLive = log.findIndex((entry) => entry.live)
      const retained = log.filter((entry) => !entry.live).map((entry) => entry.event)
      // Every retained event arrived exactly once, and all of them before any live event.
      expect(retained.sort(), name).toEqual([...events].sort())
      expect(
        log
          .slice(0, firstLive)
          .map((e) => e.event)
          .sort(),
        name,
      ).toEqual(retained)
    }
    for (const handle of handles) handle.release()
  })

  it('counts the refusal at GET /metrics (Prometheus text format)', async () => {
    const res = await fetch(`${stack.nodes[0]!.url}/metrics`, {
      headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    })
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    const line = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('presence_authorization_errors_total{') &&
          l.includes('code="ORDER_FORBIDDEN"'),
      )
    expect(line).toContain('feature="order"')
    expect(line).toContain('type="private"')
    expect(line?.trim().endsWith(' 1')).toBe(true)
    // The nine allowed channels are not errors.
    const errors = text
      .split('\n')
      .filter((l) => l.startsWith('presence_authorization_errors_total{'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
    expect(errors).toBe(1)
  })
})
