/**
 * Priority lanes (`limits.maxInFlight`): a flood of 50 concurrent batch requests × 100 private
 * channels from one session, whose authorizer takes 300 ms (and honours its `signal`), with 64
 * authorizer slots; 300 ms into the flood, one request with 1 presence channel and 1 private
 * channel. Measured per round: the late presence channel's latency (request sent → answer),
 * whether it was signed, every authorizer call's start against its channel's deadline (request
 * sent + the definition's time limit), and the process's RSS, sampled every 20 ms.
 *
 * Side by side, through the server's `handlers.batch` in-process (a fresh server per round):
 * - lanes: the flood in the normal lane, the late request from another session; the presence
 *   channel waits in the high lane.
 * - one FIFO queue: the flood's definition is `priority: 'high'` too and the late request comes
 *   from the flood's session, so the late presence channel waits in the same lane and the same
 *   session's queue as the flood — strictly behind every flood channel queued before it, as in a
 *   server with one FIFO queue. (The server has no FIFO mode; a request from another session
 *   in the same lane would still be served within a round of the session round-robin.)
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { createPresenceServer, createSigner } from '@presence/server'
import { fmt, median, type Section } from './report.js'
import { quantile } from './stats.js'

const FLOOD_REQUESTS = 50
const FLOOD_CHANNELS = 100
const AUTHORIZER_MS = 300
const MAX_IN_FLIGHT = 64
/** The flood's time limit, the same in both modes (the definition's default for the normal lane). */
const FLOOD_TIMEOUT_MS = 2000
/** The presence channel's default time limit. */
const PRESENCE_TIMEOUT_MS = 4000
const LATE_AFTER_MS = 300

type Mode = 'lanes' | 'fifo'

interface Round {
  /** Late presence channel: request sent → answer, ms. */
  latencyMs: number
  signed: boolean
  /** Authorizer calls that started after their channel's deadline. */
  lateStarts: number
  /** The latest of those starts past its deadline, ms. */
  maxOvershootMs: number
  calls: number
  floodTimeouts: number
}

const signer = createSigner({ key: 'app-key', secret: 'app-secret-0123456789abcdef' })

const post = (channels: string[], user: string) =>
  new Request('http://app.test/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user}` },
    body: JSON.stringify({ socket_id: '1.2', channels }),
  })

async function round(mode: Mode, index: number): Promise<Round> {
  /** Channel name → its deadline on `performance.now()`. */
  const deadlines = new Map<string, number>()
  let calls = 0
  let lateStarts = 0
  let maxOvershootMs = 0
  const slow = async (name: string, signal: AbortSignal) => {
    calls++
    const overshoot = performance.now() - deadlines.get(name)!
    if (overshoot > 0) {
      lateStarts++
      maxOvershootMs = Math.max(maxOvershootMs, overshoot)
    }
    try {
      await sleep(AUTHORIZER_MS, undefined, { signal })
    } catch {
      // aborted at the deadline: the call has ended
    }
  }
  const presence = createPresenceServer({
    signer,
    session: (request) => {
      const header = request.headers.get('authorization')
      return header?.startsWith('Bearer ') ? { userId: header.slice(7) } : null
    },
    limits: { maxInFlight: MAX_IN_FLIGHT },
    channels: {
      'private-doc-{id}': {
        timeoutMs: FLOOD_TIMEOUT_MS,
        ...(mode === 'fifo' ? { priority: 'high' as const } : {}),
        authorize: async ({ channel, signal }) => {
          await slow(channel.name, signal)
          return true
        },
      },
      'presence-room-{id}': async ({ user, channel, signal }) => {
        await slow(channel.name, signal)
        return { user_id: user.userId }
      },
    },
  })
  const send = (channels: string[], user: string, timeoutMs: (name: string) => number) => {
    const request = post(channels, user)
    const sent = performance.now()
    for (const name of channels) deadlines.set(name, sent + timeoutMs(name))
    return presence.handlers.batch(request)
  }
  const flood = Array.from({ length: FLOOD_REQUESTS }, (_, r) =>
    send(
      Array.from({ length: FLOOD_CHANNELS }, (_, c) => `private-doc-${index}r${r}c${c}`),
      'flooder',
      () => FLOOD_TIMEOUT_MS,
    ).then((response) => response.json() as Promise<Record<string, { error?: { code: string } }>>),
  )
  await sleep(LATE_AFTER_MS)
  const room = `presence-room-${index}`
  const sent = performance.now()
  const late = await send(
    [room, `private-doc-${index}late`],
    mode === 'fifo' ? 'flooder' : 'other',
    (name) => (name === room ? PRESENCE_TIMEOUT_MS : FLOOD_TIMEOUT_MS),
  )
  const latencyMs = performance.now() - sent
  const body = (await late.json()) as Record<string, { auth?: string }>
  const answers = await Promise.all(flood)
  const floodTimeouts = answers
    .flatMap((a) => Object.values(a))
    .filter((a) => a.error?.code === 'TIMEOUT').length
  return {
    latencyMs,
    signed: typeof body[room]?.auth === 'string',
    lateStarts,
    maxOvershootMs,
    calls,
    floodTimeouts,
  }
}

/** The late starts of a mode's rounds, with the latest one's overshoot when there are any. */
function lateStartsCell(list: Round[]): string {
  const count = list.reduce((s, x) => s + x.lateStarts, 0)
  if (count === 0) return '0'
  return `${fmt(count)} (latest ${fmt(Math.max(...list.map((x) => x.maxOvershootMs)), 1)} ms past)`
}

/** Runs `rounds` rounds of each mode, alternated, after one warm-up round of each. */
export async function benchLanes(rounds = 20): Promise<Section> {
  const results: Record<Mode, Round[]> = { lanes: [], fifo: [] }
  const peakRss: Record<Mode, number> = { lanes: 0, fifo: 0 }
  for (let r = -1; r < rounds; r++) {
    for (const mode of ['lanes', 'fifo'] as const) {
      const sampler = setInterval(() => {
        peakRss[mode] = Math.max(peakRss[mode], process.memoryUsage.rss())
      }, 20)
      const result = await round(mode, r)
      clearInterval(sampler)
      if (r >= 0) results[mode].push(result)
    }
  }
  const row = (label: string, mode: Mode) => {
    const list = results[mode]
    const latency = list.map((x) => x.latencyMs)
    return [
      label,
      fmt(median(latency)),
      fmt(quantile(latency, 0.99)),
      `${list.filter((x) => x.signed).length} / ${list.length}`,
      lateStartsCell(list),
      fmt(median(list.map((x) => x.calls))),
      fmt(median(list.map((x) => x.floodTimeouts))),
      fmt(peakRss[mode] / 2 ** 20),
    ]
  }
  const lateStarts = [...results.lanes, ...results.fifo].reduce((s, x) => s + x.lateStarts, 0)
  const lanes = median(results.lanes.map((x) => x.latencyMs))
  const fifo = median(results.fifo.map((x) => x.latencyMs))
  const lanesP99 = quantile(
    results.lanes.map((x) => x.latencyMs),
    0.99,
  )
  return {
    title: 'Priority lanes',
    command: 'pnpm bench --only lanes',
    method: `A flood of ${FLOOD_REQUESTS} concurrent batch requests × ${FLOOD_CHANNELS} private channels from one session, whose authorizer takes ${AUTHORIZER_MS} ms and honours its \`signal\` (time limit ${fmt(FLOOD_TIMEOUT_MS)} ms), with \`limits: { maxInFlight: ${MAX_IN_FLIGHT} }\`; ${LATE_AFTER_MS} ms into the flood, one request with 1 presence channel (time limit ${fmt(PRESENCE_TIMEOUT_MS)} ms, its authorizer also ${AUTHORIZER_MS} ms) and 1 private channel. Requests go to \`handlers.batch\` in-process, a fresh server per round; ${rounds} rounds of each mode, alternated, after one warm-up round each. **Lanes**: the late request comes from another session, its presence channel waits in the high lane. **One FIFO queue** (baseline): the server has no FIFO mode, so the flood's definition is \`priority: 'high'\` too and the late request comes from the flood's session — its presence channel then waits in the same lane and the same session's queue as the flood, behind every flood channel queued before it, as in one FIFO queue. Latency is the late request's time from being sent to its answer. An authorizer call "after its deadline" started later than its request was sent plus its channel's time limit (every call's start time recorded by the authorizer; the request's send time is taken after the \`Request\` is built, just before \`handlers.batch\` is called, which takes its arrival time synchronously). Peak RSS is the process's, sampled every 20 ms during each mode's rounds.`,
    table: [
      [
        'queueing',
        'late presence latency, median (ms)',
        'p99 (ms)',
        'late presence signed',
        'authorizer calls started after their deadline',
        'authorizer calls per round (median)',
        'flood channels refused TIMEOUT per round (median)',
        'peak RSS (MiB)',
      ],
      row('lanes (presence in the high lane)', 'lanes'),
      row('one FIFO queue (same lane and session as the flood)', 'fifo'),
    ],
    goals: [
      {
        name: 'Priority lanes: late presence channel signed within 1 s (p99, lanes)',
        target: '≤ 1,000 ms',
        measured: `${fmt(lanesP99)} ms (median ${fmt(lanes)} ms; one FIFO queue ${fmt(fifo)} ms, ${(fifo / lanes).toFixed(1)}× longer)`,
        met: lanesP99 <= 1000 && results.lanes.every((x) => x.signed),
        note: 'the late presence channel waited behind the flood with lanes too, or was not signed',
      },
      {
        name: 'Priority lanes: authorizer calls started after their deadline',
        target: '0',
        measured: fmt(lateStarts),
        met: lateStarts === 0,
        note: 'a channel whose deadline passed in the queue still had its authorizer called',
      },
    ],
  }
}
