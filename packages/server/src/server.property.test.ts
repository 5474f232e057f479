import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createPresenceServer } from './server.js'
import { ALICE, bearerSessions, form, post, signer } from './server-fixture.js'

const presence = createPresenceServer({
  signer,
  session: bearerSessions(),
  debug: true,
  channels: {
    'private-{feature}@{id}': () => true,
    'presence-{feature}@{id}': ({ user }) => ({ user_id: user.userId }),
    'private-encrypted-{feature}@{id}': () => true,
  },
})

const NAME_CHARS = /^[A-Za-z0-9_\-=@,.;]+$/
const invalidName = fc.oneof(
  fc.string({ maxLength: 60 }).filter((s) => s === '' || !NAME_CHARS.test(s)),
  fc
    .string({ minLength: 193, maxLength: 260, unit: fc.constantFrom('a', 'b', '@') })
    .map((s) => `private-${s}`),
  fc.constantFrom('news', 'public@1', 'my-channel'),
)
const invalidSocketId = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !/^\d+\.\d+$/.test(s)),
  fc.constantFrom('1.2.3', '.1', '1.', ' 1.2', '1.2 ', '١.٢'),
)
const validName = fc.constantFrom('private-x@1', 'presence-y@2', 'private-encrypted-z@3')
const anySession = fc.constantFrom<Record<string, string>>(ALICE, {})

async function expectRefusal(response: Response) {
  const text = await response.text()
  expect(response.status).toBeGreaterThanOrEqual(400)
  expect(response.status).toBeLessThan(500)
  expect(text).not.toContain('"auth"')
  expect(text).not.toContain('shared_secret')
  expect(JSON.parse(text).error.code).toMatch(/^[A-Z_]+$/)
}

describe('handlers refuse invalid input with 4xx, never 5xx, never a signature', () => {
  it('auth: invalid names', async () => {
    await fc.assert(
      fc.asyncProperty(invalidName, anySession, async (channel, headers) => {
        await expectRefusal(
          await presence.handlers.auth(
            post('/auth', form({ socket_id: '1.2', channel_name: channel }), headers),
          ),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('auth: invalid socket ids, as form and as JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        invalidSocketId,
        validName,
        fc.boolean(),
        async (socketId, channel, json) => {
          const body = json
            ? { socket_id: socketId, channel_name: channel }
            : form({ socket_id: socketId, channel_name: channel })
          await expectRefusal(await presence.handlers.auth(post('/auth', body, ALICE)))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('auth, batch, userAuth: random bodies and content types', async () => {
    const contentType = fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-8',
      '',
    )
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc
        .jsonValue({ maxDepth: 2 })
        .map((value) => JSON.stringify({ socket_id: value, channels: value, channel_name: value })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('auth', 'batch', 'userAuth' as const),
        contentType,
        body,
        async (handler, type, text) => {
          const headers: Record<string, string> = { ...ALICE }
          if (type !== '') headers['content-type'] = type
          const request = new Request('http://app.test/x', { method: 'POST', headers, body: text })
          await expectRefusal(await presence.handlers[handler](request))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('batch: every invalid channel is refused alone with a 4xx entry', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(invalidName, { minLength: 1, maxLength: 10 }),
        anySession,
        async (names, headers) => {
          const response = await presence.handlers.batch(
            post('/batch', { socket_id: '1.2', channels: names }, headers),
          )
          expect(response.status).toBe(200)
          const body = (await response.json()) as Record<string, { error?: { status: number } }>
          for (const name of new Set(names)) {
            const status = body[name]?.error?.status ?? 0
            expect(status).toBeGreaterThanOrEqual(400)
            expect(status).toBeLessThan(500)
          }
          expect(JSON.stringify(body)).not.toContain('"auth"')
        },
      ),
      { numRuns: 150 },
    )
  })

  it('batch GET: random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        invalidSocketId,
        fc.string({ maxLength: 80 }),
        async (socketId, channels) => {
          const query = new URLSearchParams({ socket_id: socketId, channels })
          await expectRefusal(
            await presence.handlers.batch(
              new Request(`http://app.test/b?${query}`, { headers: ALICE }),
            ),
          )
        },
      ),
      { numRuns: 150 },
    )
  })
})
