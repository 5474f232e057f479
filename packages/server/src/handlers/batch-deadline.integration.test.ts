/**
 * The batch deadline, over real HTTP (`toNodeHandler`): every channel's time
 * limit counts from the request's arrival, longer-limit channels start first,
 * and the concurrency bound (16) stays. The bounds asserted are the product's
 * contract — the largest limit of the batch plus a 1 s margin for a loaded machine — not tight timings:
 * before the deadline, a batch of 100 slow channels took 10.5 s.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeHandler } from '../http/node.js'
import type { DecisionEvent } from '../pipeline/decision-event.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'

const SLOW_MS = 1500
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let server: Server
let endpoint: string
let running = 0
let mostRunning = 0
const decisions: DecisionEvent[] = []

async function slow<T>(value: T): Promise<T> {
  running++
  mostRunning = Math.max(mostRunning, running)
  await sleep(SLOW_MS)
  running--
  return value
}

beforeAll(async () => {
  const presence = createPresenceServer({
    signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
    session: (request) => {
      const user = request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    onDecision: (event) => decisions.push(event),
    channels: {
      'private-doc@{id}': () => slow(true),
      'presence-room@{id}': ({ user }) => slow({ user_id: user.userId }),
    },
  })
  const batch = toNodeHandler(presence.handlers.batch)
  server = createServer((request, response) => void batch(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/batch`
})

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
})

async function batch(channels: string[]) {
  // An authorizer that ignores ctx.signal keeps running after its TIMEOUT: let the
  // previous batch's stragglers end so the concurrency count is this batch's.
  while (running > 0) await sleep(50)
  mostRunning = 0
  decisions.length = 0
  const started = performance.now()
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': 'alice' },
    body: JSON.stringify({ socket_id: '1.2', channels }),
  })
  const body = (await response.json()) as Record<
    string,
    { auth?: string; error?: { code: string } }
  >
  return { status: response.status, body, ms: performance.now() - started }
}

describe('batch deadline and priority', () => {
  it('100 private channels of 1.5 s answer within their 2 s limit (+1 s slack), each signed or TIMEOUT', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `private-doc@${i}`)
    const { status, body, ms } = await batch(names)
    expect(status).toBe(200)
    expect(ms).toBeLessThanOrEqual(3000)
    const signed = names.filter((name) => body[name]?.auth !== undefined)
    const timedOut = names.filter((name) => body[name]?.error?.code === 'TIMEOUT')
    expect(signed.length + timedOut.length).toBe(100)
    // The first wave of 16 finishes in 1.5 s, inside the 2 s limit.
    expect(signed.length).toBeGreaterThanOrEqual(16)
    expect(timedOut.length).toBeGreaterThan(0)
    expect(mostRunning).toBeLessThanOrEqual(16)
  }, 30_000)

  it('60 slow private + 8 slow presence listed last: all 8 presence signed, within the 4 s limit (+1 s slack)', async () => {
    const privates = Array.from({ length: 60 }, (_, i) => `private-doc@${i}`)
    const presences = Array.from({ length: 8 }, (_, i) => `presence-room@${i}`)
    const { status, body, ms } = await batch([...privates, ...presences])
    expect(status).toBe(200)
    expect(ms).toBeLessThanOrEqual(5000)
    for (const name of presences) expect(body[name]?.auth).toMatch(/^app-key:/)
    for (const name of privates) {
      expect(body[name]?.auth !== undefined || body[name]?.error?.code === 'TIMEOUT').toBe(true)
    }
    expect(mostRunning).toBeLessThanOrEqual(16)
  }, 30_000)

  it('reports a channel that could not start in time as TIMEOUT, timed from the arrival', async () => {
    const names = Array.from({ length: 48 }, (_, i) => `private-doc@${i}`)
    await batch(names)
    const timeouts = decisions.filter((event) => event.code === 'TIMEOUT')
    expect(timeouts.length).toBeGreaterThan(0)
    // durationMs counts from the arrival: a TIMEOUT is reported at (or after) the 2 s limit.
    for (const event of timeouts) expect(event.durationMs).toBeGreaterThanOrEqual(2000 - 5)
  }, 30_000)
})
