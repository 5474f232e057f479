import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readOutcome } from './auth-response.js'
import { createAuthorizer } from './authorizer.js'
import { PresenceClientError } from './errors.js'

// A batch answer is untrusted input. An entry `error: { code: {"toString":1} }` used to throw
// while the answer was read: no channel of the batch was ever answered, and the error escaped
// as an unhandled rejection (fatal by default in Node).

const BASE = 'http://auth.test'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const HOSTILE_REFUSALS: Record<string, unknown> = {
  'private-object-code': { error: { code: { toString: 1 } } },
  'private-number-code': { error: { code: 42, status: 403 } },
  'private-empty-code': { error: { code: '' } },
  'presence-object-message': { error: { code: 'FORBIDDEN', message: { toString: 1 } } },
  'private-string-status': { error: { code: 'FORBIDDEN', status: { valueOf: 1 } } },
}

describe('readOutcome on a hostile answer', () => {
  const answer = { ok: true, status: 200 }

  it('reads only string codes: any other code is INVALID_AUTH_RESPONSE (error.code)', () => {
    for (const channel of ['private-object-code', 'private-number-code', 'private-empty-code']) {
      const outcome = readOutcome(channel, HOSTILE_REFUSALS[channel], answer, `${BASE}/batch`)
      expect(outcome).toBeInstanceOf(PresenceClientError)
      expect(outcome).toMatchObject({
        code: 'INVALID_AUTH_RESPONSE',
        field: 'error.code',
        channel,
      })
    }
  })

  it('keeps a string code, ignores a message or status that is not a string or an integer', () => {
    const message = readOutcome(
      'presence-object-message',
      HOSTILE_REFUSALS['presence-object-message'],
      answer,
      `${BASE}/batch`,
    )
    expect(message).toMatchObject({ code: 'FORBIDDEN', status: 200 })
    expect(typeof (message as PresenceClientError).message).toBe('string')
    const status = readOutcome(
      'private-string-status',
      HOSTILE_REFUSALS['private-string-status'],
      { ok: false, status: 403 },
      `${BASE}/batch`,
    )
    expect(status).toMatchObject({ code: 'FORBIDDEN', status: 403 })
  })

  it('still passes the server code, status and message through', () => {
    const outcome = readOutcome(
      'private-session-1',
      { error: { code: 'SESSION_NOT_FOUND', status: 403, message: 'no session 1' } },
      answer,
      `${BASE}/batch`,
    )
    expect(outcome).toMatchObject({
      code: 'SESSION_NOT_FOUND',
      status: 403,
      message: 'no session 1',
    })
  })
})

describe('a hostile batch answer through the authorizer', () => {
  it('settles every channel of the batch with a typed error, and nothing escapes', async () => {
    const escaped: unknown[] = []
    const onUnhandled = (reason: unknown) => escaped.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      server.use(
        http.post(`${BASE}/batch`, () =>
          HttpResponse.json({ ...HOSTILE_REFUSALS, 'private-fine': { auth: 'key:sig' } }),
        ),
      )
      const authorizer = createAuthorizer(
        { endpoint: BASE, batchEndpoint: `${BASE}/batch` },
        () => 'deliver',
      )
      const names = [...Object.keys(HOSTILE_REFUSALS), 'private-fine']
      const settled = Promise.all(
        names.map(
          (channelName) =>
            new Promise<{ channelName: string; error: unknown; data: unknown }>((resolve) =>
              authorizer({ socketId: '1.1', channelName }, (error, data) =>
                resolve({ channelName, error, data }),
              ),
            ),
        ),
      )
      const never = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('a channel of the batch was never answered')), 2000),
      )
      const results = await Promise.race([settled, never])
      for (const { channelName, error, data } of results) {
        if (channelName === 'private-fine') {
          expect(error).toBeNull()
          expect(data).toEqual({ auth: 'key:sig' })
        } else {
          expect(error, channelName).toBeInstanceOf(PresenceClientError)
          expect(typeof (error as PresenceClientError).code).toBe('string')
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(escaped).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
