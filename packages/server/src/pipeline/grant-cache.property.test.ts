/**
 * The grant cache never signs what the authorizer would not sign for the same
 * caller: random users (anonymous included), channel names, scopes, and
 * sequences of grants, revocations, requests and clock ticks, checked
 * against a model of the authorizer's answers.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { memoryCache } from '../cache/memory-cache.js'
import type { CoreRequest } from '../handlers/request.js'
import { CORE_HANDLER, type CoreHandler } from '../http/fetch.js'
import { createPresenceServer } from '../server.js'
import { signer } from '../server-fixture.js'
import { grantCacheKey } from './grant-cache.js'

const TTL = 1000
const RUNS = 1000

/** One call of an authorizer, as the model records it. */
interface Call {
  pattern: string
  channel: string
  user: string | null
  at: number
  allowed: boolean
  n: number
}

type Command =
  | { kind: 'grant' | 'revoke'; user: string | null; channel: string }
  | { kind: 'request'; user: string | null; channel: string }
  | { kind: 'tick'; ms: number }

// Mostly a few users and ids, so grants, revocations and requests meet often.
const user: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('alice', 'a","b') },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) },
)
const objectId = fc.oneof(
  { weight: 8, arbitrary: fc.constant('1') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9,.;=_]{1,4}$/) },
)
const channel = fc
  .tuple(
    fc.constantFrom('private-doc-', 'private-encrypted-doc-', 'private-feed-', 'presence-room-'),
    objectId,
  )
  .map(([prefix, id]) => `${prefix}${id}`)
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('request' as const), user, channel }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('grant' as const), user, channel }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), user, channel }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.integer({ min: 1, max: 1500 }),
    }),
  },
)

function world() {
  let now = 0
  const acl = new Set<string>()
  const calls: Call[] = []
  const allowedNow = (u: string | null, c: string) =>
    acl.has(JSON.stringify([u, c])) ||
    (c.startsWith('private-feed-') && acl.has(JSON.stringify([null, c])))
  const record = (pattern: string, c: string, u: string | null) => {
    const call: Call = {
      pattern,
      channel: c,
      user: u,
      at: now,
      allowed: allowedNow(u, c),
      n: calls.length,
    }
    calls.push(call)
    return call
  }
  const presence = createPresenceServer({
    signer,
    session: (request) => {
      const id = request.headers.get('x-user')
      return id === null ? null : { userId: id }
    },
    clientId: (request) => request.headers.get('x-client-id'),
    cache: memoryCache({ now: () => now }),
    channels: {
      'private-doc-{id}': {
        user: 'optional',
        cache: { ttlMs: TTL, scope: 'user' },
        authorize: ({ user: u, channel: c }) => {
          const call = record('doc', c.name, u?.userId ?? null)
          return call.allowed && { events: [{ event: 'n', data: call.n }] }
        },
      },
      'private-encrypted-doc-{id}': {
        user: 'optional',
        cache: { ttlMs: TTL, scope: 'user' },
        authorize: ({ user: u, channel: c }) => {
          const call = record('encrypted', c.name, u?.userId ?? null)
          return call.allowed && { events: [{ event: 'n', data: call.n }] }
        },
      },
      'private-feed-{id}': {
        user: 'optional',
        cache: { ttlMs: TTL, scope: 'channel' },
        authorize: ({ channel: c }) => {
          // One answer for every caller: the channel-level grant only.
          const call = record('feed', c.name, null)
          return call.allowed && { events: [{ event: 'n', data: call.n }] }
        },
      },
      'presence-room-{id}': {
        user: 'optional',
        cache: { ttlMs: TTL, scope: 'user' },
        authorize: ({ user: u, channel: c }) => {
          const call = record('room', c.name, u?.userId ?? null)
          return call.allowed && { user_id: u?.userId ?? 'guest', user_info: { n: call.n } }
        },
      },
    },
  })
  const core = (presence.handlers.auth as { [CORE_HANDLER]?: CoreHandler })[CORE_HANDLER]!
  return {
    calls,
    acl,
    tick: (ms: number) => {
      now += ms
    },
    now: () => now,
    async request(u: string | null, c: string, clientId: string) {
      const headers = new Map<string, string>([['x-client-id', clientId]])
      if (u !== null) headers.set('x-user', u)
      const request: CoreRequest = {
        method: 'POST',
        url: 'http://localhost/auth',
        headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
        readBody: async () => new URLSearchParams({ socket_id: '1.2', channel_name: c }).toString(),
      }
      const answer = await core(request)
      return { status: answer.status, body: JSON.parse(answer.body) }
    },
  }
}

describe('grant cache contract (property)', () => {
  let hits = 0
  it('the model world caches a granted private channel (example)', async () => {
    const w = world()
    w.acl.add(JSON.stringify(['alice', 'private-doc-1']))
    expect((await w.request('alice', 'private-doc-1', 'c1')).status).toBe(200)
    expect((await w.request('alice', 'private-doc-1', 'c2')).status).toBe(200)
    expect(w.calls).toHaveLength(1)
  })

  it('never signs what the authorizer would not give the same caller', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { maxLength: 40, size: 'max' }),
        fc.string({ maxLength: 4 }),
        async (commands, clientId) => {
          const w = world()
          for (const [index, step] of commands.entries()) {
            if (step.kind === 'tick') {
              w.tick(step.ms)
              continue
            }
            const key = JSON.stringify([step.user, step.channel])
            if (step.kind === 'grant') {
              w.acl.add(key)
              continue
            }
            if (step.kind === 'revoke') {
              w.acl.delete(key)
              continue
            }
            const before = w.calls.length
            // A fresh client id per request: it must never matter.
            const { status, body } = await w.request(step.user, step.channel, `${clientId}${index}`)
            const ran = w.calls.slice(before)
            const isPresence = step.channel.startsWith('presence-')
            const isFeed = step.channel.startsWith('private-feed-')
            if (ran.length === 1) {
              // The authorizer decided now: the answer is exactly its answer.
              expect(status === 200).toBe(ran[0]!.allowed)
              continue
            }
            expect(ran).toHaveLength(0) // served from the cache
            hits++
            expect(isPresence).toBe(false) // presence joins are never served from the cache
            expect(status).toBe(200) // only allows are cached
            expect(body.auth).toBe(
              (signer.signChannel('1.2', step.channel) as { auth: string }).auth,
            )
            const source = w.calls[body.events[0].data as number]!
            // The cached answer came from an allow of the same full channel name, within the ttl...
            expect(source.allowed).toBe(true)
            expect(source.channel).toBe(step.channel)
            // (at most ttlMs old: lru-cache and Redis both still serve an entry at exactly its ttl)
            expect(w.now() - source.at).toBeLessThanOrEqual(TTL)
            if (isFeed) {
              // ...for scope 'channel', from any caller (one answer for all)...
              expect(source.pattern).toBe('feed')
            } else {
              // ...for scope 'user', from this very user, never an anonymous caller.
              expect(step.user).not.toBeNull()
              expect(source.user).toBe(step.user)
            }
          }
        },
      ),
      { numRuns: RUNS },
    )
    // The runs exercise the cache, not only the authorizer.
    expect(hits).toBeGreaterThan(RUNS / 10)
  }, 120_000)

  it('gives distinct (channel, user) pairs distinct keys, and scopes never share keys', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 })
    fc.assert(
      fc.property(
        name,
        fc.option(fc.string({ maxLength: 12 }), { nil: null }),
        name,
        fc.option(fc.string({ maxLength: 12 }), { nil: null }),
        (c1, u1, c2, u2) => {
          const same = c1 === c2 && u1 === u2
          expect(grantCacheKey(c1, u1) === grantCacheKey(c2, u2)).toBe(same)
        },
      ),
      { numRuns: 10_000 },
    )
  })
})
