/**
 * Bad input (issue 11 §1): every handler, every dialect, random and hostile
 * input → always a 4xx with a code (or a 200 for a valid request), never a
 * 5xx, never a signature for an invalid socket id or channel name, and the
 * process never crashes. At least 10,000 cases a property (override with
 * FUZZ_RUNS for a quick local run). In-process, but slow enough (~1 min) that
 * it lives in the integration project, not the fast unit one.
 */
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { createFixture, SECRET, VALID_NAME, VALID_SOCKET_ID, webhookSignature } from './fixture.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
const params = { numRuns: RUNS }
vi.setConfig({ testTimeout: 600_000 })
const fixture = createFixture()
const BASE = 'http://app.test'

/** Characters that matter: valid name characters, separators, unicode, controls. */
const nameChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcXYZ019_-=@,.;'.split('')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '-',
      '@',
      'private-',
      'presence-',
      'encrypted-',
      '{',
      '}',
      ' ',
      '%',
      '&',
      '=',
      '[',
      ']',
      '\u0000',
      '\n',
      'é',
      '💥',
      '\u202e',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }) },
)
const prefix = fc.constantFrom(
  'private-',
  'presence-',
  'private-encrypted-',
  'public-',
  '',
  'presence-messenger',
  'private-stream@',
  'private-session-',
  'private-feed@',
  'private-encrypted-notes-',
)
const channelName = fc.oneof(
  fc.tuple(prefix, fc.array(nameChar, { maxLength: 30 })).map(([p, cs]) => p + cs.join('')),
  fc.tuple(prefix, fc.nat({ max: 260 })).map(([p, n]) => p + 'a'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
)
const socketId = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}.${b}`),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '1.', '.1', '1.2.3', '１.２', '1.1\n', ' 1.1', '-1.1', '1e3.1'),
)
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'Bearer ada:org-1',
    'Bearer bob:org-1',
    'Bearer eve:org-2',
    'Bearer ',
    'Bearer',
    'Basic Zm9v',
    'bearer ada',
  ),
  // Header values must be ByteStrings; latin1 covers "odd encodings".
  fc
    .string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    })
    .map((s) => `Bearer ${s}`),
)

type Dialect = 'form' | 'json' | 'none'
function encode(fields: Record<string, unknown>, dialect: Dialect) {
  if (dialect === 'json') return { body: JSON.stringify(fields), type: 'application/json' }
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) form.append(`${k}[${i}]`, String(item))
    } else if (v !== undefined) form.append(k, String(v))
  }
  return {
    body: form.toString(),
    type: dialect === 'form' ? 'application/x-www-form-urlencoded' : undefined,
  }
}

function request(
  url: string,
  init: {
    method?: string
    body?: string
    type?: string | undefined
    auth?: string | undefined
    extra?: Record<string, string>
  },
) {
  const headers = new Headers(init.extra)
  if (init.type) headers.set('content-type', init.type)
  if (init.auth !== undefined) headers.set('authorization', init.auth)
  return new Request(`${BASE}${url}`, {
    method: init.method ?? 'POST',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
  })
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text()
  expect(text).not.toContain(SECRET)
  return JSON.parse(text) as Record<string, unknown>
}

/** A 4xx answer must carry `{ error: { code } }`. */
function expectClientError(status: number, body: Record<string, unknown>) {
  expect(status).toBeGreaterThanOrEqual(400)
  expect(status).toBeLessThan(500)
  const error = body.error as { code?: unknown } | undefined
  expect(typeof error?.code).toBe('string')
  expect(body.auth).toBeUndefined()
}

describe('fuzz: handlers.auth', () => {
  it('answers random names, socket ids, dialects and sessions with 200 or a coded 4xx, never a 5xx, never a signature for invalid input', async () => {
    await fc.assert(
      fc.asyncProperty(
        channelName,
        socketId,
        fc.constantFrom<Dialect>('form', 'json', 'none'),
        authorization,
        async (name, sid, dialect, auth) => {
          const { body, type } = encode({ socket_id: sid, channel_name: name }, dialect)
          const response = await fixture.auth(request('/pusher/auth', { body, type, auth }))
          const json = await readJson(response)
          expect(response.status).toBeLessThan(500)
          if (response.status === 200) {
            expect(sid).toMatch(VALID_SOCKET_ID)
            expect(name).toMatch(VALID_NAME)
            expect(typeof json.auth).toBe('string')
          } else {
            expectClientError(response.status, json)
          }
        },
      ),
      params,
    )
  })
})

describe('fuzz: handlers.batch', () => {
  const channelList = fc.array(channelName, { maxLength: 12 }).chain((names) =>
    // duplicates on purpose
    fc.subarray(names).map((dupes) => [...names, ...dupes]),
  )
  const dialect = fc.constantFrom('json', 'form-pusher-js-auth', 'get-comma', 'get-repeated')

  it('answers every dialect with 200 (per-channel entries) or a coded 4xx; invalid names are never signed', async () => {
    await fc.assert(
      fc.asyncProperty(
        channelList,
        socketId,
        dialect,
        authorization,
        async (names, sid, d, auth) => {
          let req: Request
          if (d === 'json') {
            req = request('/pusher/batch', {
              body: JSON.stringify({ socket_id: sid, channels: names }),
              type: 'application/json',
              auth,
            })
          } else if (d === 'form-pusher-js-auth') {
            const { body, type } = encode({ socket_id: sid, channel_name: names }, 'form')
            req = request('/pusher/batch', { body, type, auth })
          } else {
            const q = new URLSearchParams({ socket_id: sid })
            if (d === 'get-comma') q.set('channels', names.join(','))
            else for (const n of names) q.append('channels', n)
            req = request(`/pusher/batch?${q}`, { method: 'GET', auth })
          }
          const response = await fixture.batch(req)
          const json = await readJson(response)
          expect(response.status).toBeLessThan(500)
          if (response.status !== 200) {
            expectClientError(response.status, json)
            return
          }
          expect(sid).toMatch(VALID_SOCKET_ID)
          for (const [name, entry] of Object.entries(json)) {
            const e = entry as {
              auth?: string
              error?: { code: string; status: number }
              status?: number
              data?: { auth?: string; error?: { code: string } }
            }
            const signed = e.auth ?? e.data?.auth
            if (signed !== undefined) expect(name).toMatch(VALID_NAME)
            else {
              const code = e.error?.code ?? e.data?.error?.code
              expect(typeof code).toBe('string')
              const status = e.error?.status ?? e.status
              expect(status).toBeGreaterThanOrEqual(400)
              expect(status).toBeLessThan(500)
            }
          }
        },
      ),
      params,
    )
  })
})

describe('fuzz: raw bodies, content types, methods and headers', () => {
  const contentType = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'APPLICATION/JSON',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
      ';;;',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
    ),
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 30,
    }),
  )
  const rawBody = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 4 }),
    fc.constantFrom(
      '{',
      '[]',
      'null',
      '"x"',
      '1',
      '{"socket_id":1,"channel_name":2}',
      '{"socket_id":"1.1","channels":"a"}',
      '{"socket_id":"1.1","channels":[1,null,{}]}',
      'socket_id=1.1&channel_name=presence-messenger&channel_name=private-a',
      'channel_name[0]=a&channel_name[x]=b&socket_id=1.1',
      '%%%%',
      'socket_id=%E0%A4%A&channel_name=x',
    ),
  )
  const handlerName = fc.constantFrom('auth', 'batch', 'userAuth') as fc.Arbitrary<
    'auth' | 'batch' | 'userAuth'
  >
  const method = fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')

  it('never answers 5xx, always JSON with a code when refusing, never leaks the secret', async () => {
    await fc.assert(
      fc.asyncProperty(
        handlerName,
        method,
        contentType,
        rawBody,
        authorization,
        async (h, m, type, body, auth) => {
          const withBody = m !== 'GET'
          const req = request(withBody ? '/x' : `/x?${new URLSearchParams({ q: body })}`, {
            method: m,
            ...(withBody ? { body } : {}),
            type,
            auth,
          })
          const response = await fixture[h](req)
          expect(response.status).toBeLessThan(500)
          const text = await response.text()
          expect(text).not.toContain(SECRET)
          if (response.status >= 400) {
            const json = JSON.parse(text) as { error?: { code?: unknown } }
            expect(typeof json.error?.code).toBe('string')
          }
        },
      ),
      params,
    )
  })

  it('refuses oversized and deeply nested payloads with 413/400, never 5xx', async () => {
    const oversized = fc.record({
      size: fc.integer({ min: 64 * 1024 + 1, max: 256 * 1024 }),
      dialect: fc.constantFrom('form', 'json'),
    })
    await fc.assert(
      fc.asyncProperty(oversized, async ({ size, dialect }) => {
        const body =
          dialect === 'json'
            ? JSON.stringify({ socket_id: '1.1', channel_name: 'a'.repeat(size) })
            : `socket_id=1.1&channel_name=${'a'.repeat(size)}`
        const response = await fixture.auth(
          request('/x', {
            body,
            type: dialect === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
            auth: 'Bearer ada:org-1',
          }),
        )
        expect(response.status).toBe(413)
        expect(((await readJson(response)).error as { code: string }).code).toBe(
          'PAYLOAD_TOO_LARGE',
        )
      }),
      { numRuns: Math.min(RUNS, 200) },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 10, max: 20_000 }),
        fc.constantFrom('[', '{"a":'),
        async (depth, open) => {
          const close = open === '[' ? ']' : '}'
          const body = `${open.repeat(depth)}1${close.repeat(depth)}`
          const response = await fixture.batch(
            request('/x', {
              body: body.length > 60_000 ? body.slice(0, 60_000) : body,
              type: 'application/json',
              auth: 'Bearer ada:org-1',
            }),
          )
          expectClientError(response.status, await readJson(response))
        },
      ),
      { numRuns: Math.min(RUNS, 500) },
    )
  })

  it('answers batches past the channel cap with 413 TOO_MANY_CHANNELS', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 101, max: 400 }), async (count) => {
        const channels = Array.from({ length: count }, (_, i) => `private-feed@${i}`)
        const response = await fixture.batch(
          request('/x', {
            body: JSON.stringify({ socket_id: '1.1', channels }),
            type: 'application/json',
            auth: 'Bearer ada:org-1',
          }),
        )
        expect(response.status).toBe(413)
        expect(((await readJson(response)).error as { code: string }).code).toBe(
          'TOO_MANY_CHANNELS',
        )
      }),
      { numRuns: Math.min(RUNS, 300) },
    )
  })
})

describe('fuzz: handlers.webhook', () => {
  const events = fc.array(
    fc.record({
      name: fc.constantFrom(
        'channel_occupied',
        'channel_vacated',
        'member_added',
        'member_removed',
        'client_event',
        'unknown',
        '',
      ),
      channel: channelName,
      user_id: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      event: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      data: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    }),
    { maxLength: 5 },
  )
  const payload = fc.oneof(
    fc
      .record({
        // Dated now (handled) or any time (refused as a replay outside the 5-minute window).
        time_ms: fc.oneof(
          fc.nat(),
          fc.integer({ min: Date.now() - 60_000, max: Date.now() + 60_000 }),
          fc.string({ maxLength: 5 }),
        ),
        events,
      })
      .map((p) => JSON.stringify(p)),
    fc.json({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
  )
  const keyHeader = fc.constantFrom('fuzz-key', 'other-key', '', undefined)

  it('answers unsigned or mis-signed bodies 401 and never reaches a handler', async () => {
    const before = fixture.webhookEvents.length
    await fc.assert(
      fc.asyncProperty(
        payload,
        fc.string({
          unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
          maxLength: 70,
        }),
        keyHeader,
        async (body, signature, key) => {
          const extra: Record<string, string> = { 'x-pusher-signature': signature }
          if (key !== undefined) extra['x-pusher-key'] = key
          const response = await fixture.webhook(
            request('/webhook', { body, type: 'application/json', extra }),
          )
          const valid = key === 'fuzz-key' && signature === webhookSignature(body)
          if (!valid) expect(response.status).toBe(401)
          expect(response.status).toBeLessThan(500)
        },
      ),
      params,
    )
    expect(fixture.webhookEvents.length).toBe(before)
  })

  it('answers correctly signed bodies 200 (valid payload), 400 (bad JSON/shape) or 401 (outside the replay window), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const response = await fixture.webhook(
          request('/webhook', {
            body,
            type: 'application/json',
            extra: { 'x-pusher-key': 'fuzz-key', 'x-pusher-signature': webhookSignature(body) },
          }),
        )
        expect([200, 400, 401]).toContain(response.status)
        if (response.status === 400) expectClientError(400, await readJson(response))
        if (response.status === 401) {
          const answer = (await readJson(response)) as { error: { code: string } }
          expect(answer.error.code).toBe('WEBHOOK_EXPIRED')
        }
      }),
      params,
    )
  })
})
