/**
 * The conformance cases, written once against the public entry points of
 * `@presence/server` (Fetch handlers, `createSigner`, `bearerJwt`,
 * `memoryCache`) and run unchanged on every runtime.
 * @module
 */
import {
  createPresenceServer,
  createSigner,
  deny,
  type SessionAdapter,
  type Signer,
} from '@presence/server'
import { memoryCache } from '@presence/server/cache'
import { bearerJwt } from '@presence/server/session'
import type { Fixture } from './fixture.js'
import { type Case, equal, ok, rejectsWith, sameJson } from './harness.js'

const APP = 'http://app.test'

function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  const isForm = typeof body === 'string'
  return new Request(`${APP}${path}`, {
    method: 'POST',
    headers: {
      'content-type': isForm ? 'application/x-www-form-urlencoded' : 'application/json',
      ...headers,
    },
    body: isForm ? body : JSON.stringify(body),
  })
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function expectJsonResponse(response: Response, status: number, body: string, what: string) {
  equal(response.status, status, `${what}: status`)
  ok(
    response.headers.get('content-type')?.includes('application/json'),
    `${what}: content-type is JSON (got ${response.headers.get('content-type')})`,
  )
  equal(await response.text(), body, `${what}: body`)
}

/** Cases of one signer engine, compared byte for byte with the `pusher` SDK's output. */
function signerCases(label: string, fixture: Fixture, make: () => Signer): Case[] {
  const { socketId, member, userData, expected } = fixture
  return [
    {
      name: `signer (${label}): private channel byte-identical to pusher`,
      run: async () =>
        equal(
          JSON.stringify(await make().signChannel(socketId, 'private-stream@42')),
          expected.private,
          'signChannel',
        ),
    },
    {
      name: `signer (${label}): presence channel byte-identical to pusher`,
      run: async () =>
        equal(
          JSON.stringify(await make().signChannel(socketId, 'presence-room', member)),
          expected.presence,
          'signChannel',
        ),
    },
    {
      name: `signer (${label}): private-encrypted shared_secret byte-identical to pusher`,
      run: async () => {
        const signer = make()
        equal(
          JSON.stringify(await signer.signChannel(socketId, 'private-encrypted-stream@42')),
          expected.encrypted,
          'signChannel',
        )
        equal(
          JSON.stringify(await signer.signChannel(socketId, 'private-encrypted-room', member)),
          expected.encryptedPresence,
          'signChannel with channel data',
        )
      },
    },
    {
      name: `signer (${label}): user authentication byte-identical to pusher`,
      run: async () =>
        equal(JSON.stringify(await make().signUser(socketId, userData)), expected.user, 'signUser'),
    },
    {
      name: `signer (${label}): webhook signature accepted, tampered body and wrong key refused`,
      run: async () => {
        const signer = make()
        const { body, signature } = fixture.webhook
        const headers = { 'x-pusher-key': fixture.key, 'x-pusher-signature': signature }
        equal(await signer.verifyWebhook(headers, body), true, 'good delivery')
        equal(
          await signer.verifyWebhook(headers, body.replace('alice', 'mallory')),
          false,
          'tampered body',
        )
        equal(
          await signer.verifyWebhook({ ...headers, 'x-pusher-key': 'other-key' }, body),
          false,
          'wrong key',
        )
      },
    },
  ]
}

/** Whether this runtime offers `node:crypto` without an import (what `createSigner` looks for). */
function hasNodeCrypto(): boolean {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    return typeof proc?.getBuiltinModule?.('node:crypto') === 'object'
  } catch {
    return false
  }
}

function engineCases(fixture: Fixture): Case[] {
  const options = {
    key: fixture.key,
    secret: fixture.secret,
    encryptionMasterKeyBase64: fixture.masterKeyBase64,
  }
  const cases = [
    ...signerCases('Web Crypto', fixture, () => createSigner({ ...options, crypto: 'web' })),
    ...signerCases('default engine', fixture, () => createSigner(options)),
  ]
  if (fixture.runtime.nodeCrypto) {
    cases.push(
      ...signerCases('node:crypto', fixture, () => createSigner({ ...options, crypto: 'node' })),
      {
        name: 'signer: node:crypto is the default engine where the runtime has it',
        run: () => {
          ok(hasNodeCrypto(), 'process.getBuiltinModule("node:crypto") is available')
          equal(createSigner(options).engine, 'node', 'default engine')
        },
      },
    )
  } else {
    cases.push({
      name: 'signer: Web Crypto is the default engine where node:crypto is absent',
      run: () => {
        ok(!hasNodeCrypto(), 'process.getBuiltinModule("node:crypto") is absent')
        equal(createSigner(options).engine, 'web', 'default engine')
      },
    })
  }
  return cases
}

/**
 * The server every handler case uses: HS256 sessions, the channels the cases need.
 * `debug: 'default'` leaves the option out, so the server's own default applies.
 */
export function server(
  fixture: Fixture,
  session: SessionAdapter = bearerJwt({ secret: fixture.jwt.secret }),
  debug: boolean | 'default' = false,
) {
  const webhookEvents: string[] = []
  const presence = createPresenceServer({
    signer: createSigner({
      key: fixture.key,
      secret: fixture.secret,
      encryptionMasterKeyBase64: fixture.masterKeyBase64,
    }),
    session,
    ...(debug === 'default' ? {} : { debug }),
    channels: {
      'private-stream@{id}': ({ params }) => params.id !== 'closed',
      'private-encrypted-stream@{id}': () => true,
      'presence-room': () => fixture.member,
      'private-owned-{id}': ({ params }) => params.id === 'mine' || deny('USER_MISMATCH'),
      'private-slow@{id}': {
        timeoutMs: 100,
        authorize: ({ signal }) =>
          new Promise<boolean>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          ),
      },
      'private-crash': () => {
        throw new Error('db password=hunter2 leaked in message')
      },
    },
    userData: () => fixture.userData,
    webhooks: {
      member_added: (event) => {
        webhookEvents.push(`${event.channel}:${event.user_id}`)
      },
    },
  })
  return { handlers: presence.handlers, webhookEvents }
}

function handlerCases(fixture: Fixture): Case[] {
  const { socketId, expected } = fixture
  const alice = bearer(fixture.jwt.hs256)
  const authForm = (channel: string) => form({ socket_id: socketId, channel_name: channel })
  return [
    {
      name: 'handlers.auth: private channel answer byte-identical to pusher',
      run: async () =>
        expectJsonResponse(
          await server(fixture).handlers.auth(post('/auth', authForm('private-stream@42'), alice)),
          200,
          expected.private,
          'auth',
        ),
    },
    {
      name: 'handlers.auth: presence channel answer byte-identical to pusher',
      run: async () =>
        expectJsonResponse(
          await server(fixture).handlers.auth(post('/auth', authForm('presence-room'), alice)),
          200,
          expected.presence,
          'auth',
        ),
    },
    {
      name: 'handlers.auth: private-encrypted answer (JSON body) byte-identical to pusher',
      run: async () =>
        expectJsonResponse(
          await server(fixture).handlers.auth(
            post(
              '/auth',
              { socket_id: socketId, channel_name: 'private-encrypted-stream@42' },
              alice,
            ),
          ),
          200,
          expected.encrypted,
          'auth',
        ),
    },
    {
      name: 'handlers.batch: one signed channel, a refusal and a timeout in one answer',
      run: async () => {
        const response = await server(fixture).handlers.batch(
          post(
            '/batch',
            {
              socket_id: socketId,
              channels: ['private-stream@42', 'private-owned-theirs', 'private-slow@1'],
            },
            alice,
          ),
        )
        equal(response.status, 200, 'status')
        const body = (await response.json()) as Record<string, unknown>
        equal(JSON.stringify(body['private-stream@42']), expected.private, 'signed entry')
        sameJson(
          body['private-owned-theirs'],
          { error: { code: 'USER_MISMATCH', status: 403 } },
          'refused entry',
        )
        sameJson(
          body['private-slow@1'],
          { error: { code: 'TIMEOUT', status: 403 } },
          'timed out entry',
        )
      },
    },
    {
      name: 'handlers.batch: GET with comma-separated channels',
      run: async () => {
        const url = `${APP}/batch?socket_id=${socketId}&channels=private-stream@42,private-stream@closed`
        const response = await server(fixture).handlers.batch(new Request(url, { headers: alice }))
        equal(response.status, 200, 'status')
        const body = (await response.json()) as Record<string, unknown>
        equal(JSON.stringify(body['private-stream@42']), expected.private, 'signed entry')
        sameJson(
          body['private-stream@closed'],
          { error: { code: 'CHANNEL_FORBIDDEN', status: 403 } },
          'refused entry',
        )
      },
    },
    {
      name: 'handlers.userAuth: answer byte-identical to pusher.authenticateUser',
      run: async () =>
        expectJsonResponse(
          await server(fixture).handlers.userAuth(
            post('/user-auth', form({ socket_id: socketId }), alice),
          ),
          200,
          expected.user,
          'userAuth',
        ),
    },
    {
      name: 'handlers.webhook: a signed delivery is accepted and dispatched',
      run: async () => {
        const { handlers, webhookEvents } = server(fixture)
        const response = await handlers.webhook(
          post('/webhook', fixture.webhook.body, {
            'content-type': 'application/json',
            'x-pusher-key': fixture.key,
            'x-pusher-signature': fixture.webhook.signature,
          }),
        )
        equal(response.status, 200, 'status')
        sameJson(webhookEvents, ['presence-room:alice'], 'dispatched events')
      },
    },
    {
      name: 'handlers.webhook: a tampered delivery is refused with 401 and not dispatched',
      run: async () => {
        const { handlers, webhookEvents } = server(fixture)
        const response = await handlers.webhook(
          post('/webhook', fixture.webhook.body.replace('alice', 'mallory'), {
            'content-type': 'application/json',
            'x-pusher-key': fixture.key,
            'x-pusher-signature': fixture.webhook.signature,
          }),
        )
        await expectJsonResponse(
          response,
          401,
          '{"error":{"code":"WEBHOOK_SIGNATURE_INVALID"}}',
          'webhook',
        )
        sameJson(webhookEvents, [], 'dispatched events')
      },
    },
    {
      name: 'debug left to its default (NODE_ENV unset): production bodies',
      run: async () => {
        const { handlers } = server(fixture, undefined, 'default')
        await expectJsonResponse(
          await handlers.auth(post('/auth', authForm('private-crash'), alice)),
          500,
          '{"error":{"code":"INTERNAL"}}',
          'auth',
        )
      },
    },
    {
      name: 'production error bodies: only the code, no message, no secret',
      run: async () => {
        const { handlers } = server(fixture)
        const cases: Array<[Request, number, string]> = [
          [post('/auth', authForm('private-stream@42')), 401, 'UNAUTHENTICATED'],
          [post('/auth', authForm('private-unknown@1'), alice), 403, 'CHANNEL_UNKNOWN'],
          [post('/auth', authForm('private-stream@closed'), alice), 403, 'CHANNEL_FORBIDDEN'],
          [
            post('/auth', form({ socket_id: 'nope', channel_name: 'private-stream@1' }), alice),
            400,
            'BAD_REQUEST',
          ],
          [post('/auth', authForm('private-crash'), alice), 500, 'INTERNAL'],
          [new Request(`${APP}/auth`, { headers: alice }), 405, 'METHOD_NOT_ALLOWED'],
        ]
        for (const [request, status, code] of cases) {
          await expectJsonResponse(
            await handlers.auth(request),
            status,
            `{"error":{"code":"${code}"}}`,
            code,
          )
        }
      },
    },
  ]
}

function sessionCases(fixture: Fixture): Case[] {
  const request = (token?: string) =>
    new Request(`${APP}/auth`, { headers: token ? bearer(token) : {} })
  return [
    {
      name: 'bearerJwt (HS256 secret): a valid token is a session',
      run: async () => {
        const session = await bearerJwt({ secret: fixture.jwt.secret })(request(fixture.jwt.hs256))
        equal(session?.userId, 'hs-user', 'userId')
      },
    },
    {
      name: 'bearerJwt (HS256 secret): expired, foreign-secret, malformed and missing tokens are no session',
      run: async () => {
        const adapter = bearerJwt({ secret: fixture.jwt.secret })
        for (const [token, what] of [
          [fixture.jwt.hs256Expired, 'expired'],
          [fixture.jwt.hs256OtherSecret, 'other secret'],
          ['not.a.jwt', 'malformed'],
          [undefined, 'missing'],
        ] as const) {
          equal(await adapter(request(token)), null, what)
        }
      },
    },
    {
      name: 'bearerJwt (JWKS fetched from a loopback URL): a valid RS256 token is a session',
      run: async () => {
        const adapter = bearerJwt({ jwks: fixture.jwt.jwksUrl, algorithms: ['RS256'] })
        const session = await adapter(request(fixture.jwt.rs256))
        equal(session?.userId, 'jwks-user', 'userId')
      },
    },
    {
      name: 'bearerJwt (JWKS): a token signed by a key outside the set is no session',
      run: async () => {
        const adapter = bearerJwt({ jwks: fixture.jwt.jwksUrl, algorithms: ['RS256'] })
        equal(await adapter(request(fixture.jwt.rs256Foreign)), null, 'foreign key')
      },
    },
    {
      name: 'bearerJwt (JWKS): an unreachable key set is 503 UNAVAILABLE through handlers.auth',
      run: async () => {
        const adapter = bearerJwt({ jwks: fixture.jwt.unreachableJwksUrl, algorithms: ['RS256'] })
        await rejectsWith(() => adapter(request(fixture.jwt.rs256)), 'UNAVAILABLE', 'adapter')
        const { handlers } = server(fixture, adapter)
        const response = await handlers.auth(
          post(
            '/auth',
            form({ socket_id: fixture.socketId, channel_name: 'private-stream@42' }),
            bearer(fixture.jwt.rs256),
          ),
        )
        await expectJsonResponse(response, 503, '{"error":{"code":"UNAVAILABLE"}}', 'auth')
      },
    },
  ]
}

function cacheCases(): Case[] {
  return [
    {
      name: 'memoryCache: absent is null; values round-trip exactly; overwrite and delete',
      run: async () => {
        const cache = memoryCache()
        equal((await cache.get('absent')) ?? null, null, 'absent')
        for (const value of ['{"user_id":"u1"}', 'ünïcødé ✓ 中文 🚀', '', 'x'.repeat(64 * 1024)]) {
          await cache.set('k', value, 10_000)
          equal(await cache.get('k'), value, 'round trip')
        }
        await cache.set('k', 'two', 10_000)
        equal(await cache.get('k'), 'two', 'overwrite')
        await cache.delete('k')
        equal((await cache.get('k')) ?? null, null, 'deleted')
        await cache.delete('k')
      },
    },
    {
      name: 'memoryCache: each entry expires after its own ttlMs; ttl <= 0 stores nothing',
      run: async () => {
        let now = 0
        const cache = memoryCache({ now: () => now })
        await cache.set('short', 's', 40)
        await cache.set('long', 'l', 60_000)
        await cache.set('zero', 'z', 0)
        now = 39
        equal(await cache.get('short'), 's', 'short before expiry')
        now = 41
        equal((await cache.get('short')) ?? null, null, 'short after expiry')
        equal(await cache.get('long'), 'l', 'long')
        equal((await cache.get('zero')) ?? null, null, 'ttl 0')
      },
    },
    {
      name: 'memoryCache: increment counts from zero and refreshes the lifetime; max evicts the oldest',
      run: async () => {
        let now = 0
        const cache = memoryCache({ max: 2, now: () => now })
        equal(cache.increment('n', 1, 100), 1, 'first')
        equal(cache.increment('n', 2, 100), 3, 'second')
        now = 90
        equal(cache.increment('n', -1, 100), 2, 'third')
        now = 150
        equal(await cache.get('n'), '2', 'lifetime refreshed')
        await cache.set('a', 'a', 10_000)
        await cache.set('b', 'b', 10_000)
        equal((await cache.get('n')) ?? null, null, 'oldest evicted')
        equal(cache.size, 2, 'size')
      },
    },
  ]
}

/** Every case, for one runtime. */
export function conformanceCases(fixture: Fixture): Case[] {
  return [
    ...engineCases(fixture),
    ...handlerCases(fixture),
    ...sessionCases(fixture),
    ...cacheCases(),
  ]
}
