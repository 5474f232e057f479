/**
 * Security cases (issue 11 §2), against real soketi and real pusher-js where
 * a subscription is involved. Every response of the suite is recorded and
 * scanned at the end for secrets, stacks and other users' data.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toNodeHandler } from '@presence/server/node'
import {
  type SoketiServer,
  sleep,
  soketiChannelUsers,
  startSoketi,
  waitFor,
} from '@presence/testing'
import fc from 'fast-check'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createFixture,
  KEY,
  MASTER_KEY,
  SECRET,
  WORK_SESSIONS,
  webhookSignature,
} from './fixture.js'

const hmac = vi.hoisted(() => ({ calls: [] as Array<[string, string]> }))
vi.mock(import('../../server/src/signer/hmac.js'), async (importOriginal) => {
  const original = await importOriginal()
  return {
    ...original,
    timingSafeEqualString: (a: string, b: string) => {
      hmac.calls.push([a, b])
      return original.timingSafeEqualString(a, b)
    },
  }
})

const APP_ORIGIN = 'https://app.example'
const EXTENSION_ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
const fixture = createFixture({ cors: [APP_ORIGIN, EXTENSION_ORIGIN] })
let soketi: SoketiServer
let http: Server
let base: string

beforeAll(async () => {
  soketi = await startSoketi({ key: KEY, secret: SECRET })
  const routes = {
    '/auth': toNodeHandler(fixture.auth),
    '/batch': toNodeHandler(fixture.batch),
    '/user-auth': toNodeHandler(fixture.userAuth),
    '/webhook': toNodeHandler(fixture.webhook),
  } as const
  http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as keyof typeof routes
    const route = routes[path]
    if (route) void route(req, res)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve))
  await soketi?.stop()
})

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  })
}

describe('no session', () => {
  it('is 401 UNAUTHENTICATED on auth and userAuth, and on every user-bound channel of a batch', async () => {
    for (const channel of [
      'private-stream@1',
      'presence-messenger',
      'private-session-s-ada',
      'private-unknown-x',
    ]) {
      const res = await post('/auth', `socket_id=1.1&channel_name=${channel}`)
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })
    }
    const user = await post('/user-auth', 'socket_id=1.1')
    expect(user.status).toBe(401)
    expect(await user.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })

    const batch = await fetch(
      `${base}/batch?socket_id=1.1&channels=presence-messenger,private-stream@1,private-nothing-here,private-feed@9`,
    )
    const body = (await batch.json()) as Record<
      string,
      { error?: { code: string; status: number }; auth?: string }
    >
    expect(body['presence-messenger']).toEqual({ error: { code: 'UNAUTHENTICATED', status: 401 } })
    expect(body['private-stream@1']).toEqual({ error: { code: 'UNAUTHENTICATED', status: 401 } })
    // an unknown channel tells an anonymous caller nothing about the registry
    expect(body['private-nothing-here']).toEqual({
      error: { code: 'UNAUTHENTICATED', status: 401 },
    })
    // seed 001's anonymous private channels (user: 'optional') still work
    expect(typeof body['private-feed@9']?.auth).toBe('string')
  })
})

describe("seed 002's ownership checks", () => {
  it('refuses cross-tenant sessions with SESSION_NOT_FOUND and other users’ sessions with USER_MISMATCH, production bodies carrying only the code', async () => {
    const cross = await post('/auth', 'socket_id=1.1&channel_name=private-session-s-eve', {
      authorization: 'Bearer ada:org-1',
    })
    expect(cross.status).toBe(403)
    expect(await cross.json()).toEqual({ error: { code: 'SESSION_NOT_FOUND' } })
    const other = await post('/auth', 'socket_id=1.1&channel_name=private-session-s-bob', {
      authorization: 'Bearer ada:org-1',
    })
    expect(other.status).toBe(403)
    expect(await other.json()).toEqual({ error: { code: 'USER_MISMATCH' } })
    // eve claiming ada's tenant still cannot read ada's session: ownership is checked too
    const claimed = await post('/auth', 'socket_id=1.1&channel_name=private-session-s-ada', {
      authorization: 'Bearer eve:org-1',
    })
    expect(claimed.status).toBe(403)
    expect(await claimed.json()).toEqual({ error: { code: 'USER_MISMATCH' } })
    const own = await post('/auth', 'socket_id=1.1&channel_name=private-session-s-ada', {
      authorization: 'Bearer ada:org-1',
    })
    expect(own.status).toBe(200)
  })
})

describe("seed 000's forged presence subscription", () => {
  function connect(headers: Record<string, string>) {
    return new PusherJs(soketi.key, {
      ...soketi.pusherJsOptions,
      channelAuthorization: { endpoint: `${base}/auth`, transport: 'ajax', headers },
    })
  }
  function outcome(channel: { bind: (e: string, f: (x: unknown) => void) => void }) {
    return new Promise<{ ok: boolean; status?: number }>((resolve) => {
      channel.bind('pusher:subscription_succeeded', () => resolve({ ok: true }))
      channel.bind('pusher:subscription_error', (e) =>
        resolve({ ok: false, status: (e as { status: number }).status }),
      )
    })
  }

  it('refuses the forger (401 signed out, 403 signed in without access) and other members see no member event', async () => {
    const member = connect({ Authorization: 'Bearer ada:org-1' })
    const signedOut = connect({})
    const outsider = connect({ Authorization: 'Bearer eve:org-2' })
    try {
      const memberEvents: unknown[] = []
      const room = member.subscribe('presence-chat@team')
      room.bind('pusher:member_added', (m: unknown) => memberEvents.push(m))
      expect(await outcome(room)).toEqual({ ok: true })

      const forged = await outcome(signedOut.subscribe('presence-chat@team'))
      expect(forged).toEqual({ ok: false, status: 401 })
      const denied = await outcome(outsider.subscribe('presence-chat@team'))
      expect(denied).toEqual({ ok: false, status: 403 })

      // give soketi time to (wrongly) announce anyone, then check its own truth
      await sleep(1000)
      expect(memberEvents).toEqual([])
      expect(await soketiChannelUsers(soketi, 'presence-chat@team')).toEqual(['ada'])
    } finally {
      member.disconnect()
      signedOut.disconnect()
      outsider.disconnect()
    }
  })

  it('does not let a forged channel_data through soketi: a hand-made signature is rejected', async () => {
    const forger = connect({})
    try {
      await waitFor(() => forger.connection.state === 'connected', { what: 'forger connected' })
      const forgedAuth = `${KEY}:${'0'.repeat(64)}`
      const result = new Promise<string>((resolve) => {
        forger.connection.bind('error', (e: { data?: { code?: number } }) =>
          resolve(`error ${e.data?.code}`),
        )
        forger.bind_global((event: string) => {
          if (event === 'pusher:subscription_error') resolve(event)
        })
      })
      forger.send_event('pusher:subscribe', {
        channel: 'presence-chat@team',
        auth: forgedAuth,
        channel_data: JSON.stringify({ user_id: 'mallory' }),
      })
      expect(await result).toMatch(/subscription_error|error 4009/)
      expect(await soketiChannelUsers(soketi, 'presence-chat@team')).not.toContain('mallory')
    } finally {
      forger.disconnect()
    }
  })
})

describe('CORS', () => {
  it('grants listed origins only, with credentials, and answers preflights for them only', async () => {
    for (const origin of [APP_ORIGIN, EXTENSION_ORIGIN]) {
      const pre = await fetch(`${base}/auth`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      })
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin)
      expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      )
      const res = await post('/auth', 'socket_id=1.1&channel_name=private-stream@1', {
        origin,
        authorization: 'Bearer ada:org-1',
      })
      expect(res.headers.get('access-control-allow-origin')).toBe(origin)
      expect(res.headers.get('vary')).toMatch(/origin/i)
    }
    for (const origin of [
      'https://evil.example',
      'https://app.example.evil',
      'http://app.example',
      'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba',
      'null',
    ]) {
      const pre = await fetch(`${base}/auth`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
      expect(pre.headers.get('access-control-allow-origin')).toBeNull()
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull()
      const res = await post('/auth', 'socket_id=1.1&channel_name=private-stream@1', {
        origin,
        authorization: 'Bearer ada:org-1',
      })
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    }
  })
})

describe('webhook signatures', () => {
  it('are compared with the constant-time comparison, over the raw body', async () => {
    const body = JSON.stringify({
      time_ms: Date.now(),
      events: [{ name: 'channel_occupied', channel: 'private-stream@1' }],
    })
    const good = webhookSignature(body)
    hmac.calls.length = 0
    const ok = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pusher-key': KEY,
        'x-pusher-signature': good,
      },
      body,
    })
    expect(ok.status).toBe(200)
    expect(hmac.calls.some(([a, b]) => a === good && b === good)).toBe(true)

    hmac.calls.length = 0
    const flipped = (good[0] === 'a' ? 'b' : 'a') + good.slice(1)
    const bad = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pusher-key': KEY,
        'x-pusher-signature': flipped,
      },
      body,
    })
    expect(bad.status).toBe(401)
    expect(hmac.calls.some(([, b]) => b === flipped)).toBe(true)
  })

  it('the comparison agrees with === for any pair of strings', async () => {
    const { timingSafeEqualString } = await vi.importActual<
      typeof import('../../server/src/signer/hmac.js')
    >('../../server/src/signer/hmac.js')
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => timingSafeEqualString(a, b) === (a === b)),
      { numRuns: 10_000 },
    )
    fc.assert(
      fc.property(fc.string(), (a) => timingSafeEqualString(a, a)),
      { numRuns: 1000 },
    )
  })
})

describe('leak scan of every response in this suite', () => {
  it('no body holds a secret, a stack, a message or another user’s data in production mode', () => {
    expect(fixture.recorded.length).toBeGreaterThan(15)
    const secrets = [SECRET, MASTER_KEY, ...[...WORK_SESSIONS.values()].map((s) => s.secretNote)]
    for (const { status, body } of fixture.recorded) {
      for (const secret of secrets) expect(body).not.toContain(secret)
      expect(body).not.toMatch(/\n\s+at |Error:|node_modules|\/src\//)
      if (status >= 400) {
        const json = JSON.parse(body) as { error: Record<string, unknown> }
        expect(Object.keys(json.error).sort()).toEqual(['code'])
      }
      // no other user's ids in refusals: seed 002's debug message names the owner; production must not
      if (status === 403) expect(body).not.toMatch(/\b(bob|eve|ada)\b/)
    }
  })
})
