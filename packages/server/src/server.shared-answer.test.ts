/**
 * Shared answers (`cache: { scope: 'channel' }`) cannot depend on the caller: the authorizer's
 * ctx has no user, nor has the ctx of server-wide retain providers, the answer is computed
 * once and served to every caller, and `user: 'required'` still gates on a session.
 */
import { describe, expect, it } from 'vitest'
import { createPresenceServer } from './server.js'
import { ALICE, BOB, bearerSessions, form, mapCache, post, signer } from './server-fixture.js'

function setup() {
  const seen: Array<{ hasUser: boolean; keys: string[] }> = []
  const providerUsers: Array<string | null> = []
  const inbox: Record<string, number> = { alice: 7, bob: 0 }
  const presence = createPresenceServer({
    signer,
    session: bearerSessions(),
    cache: mapCache(),
    // A server-wide provider that reads the caller: it must never shape a shared answer.
    retain: [
      (ctx) => {
        const user = 'user' in ctx ? ctx.user : null
        providerUsers.push(user?.userId ?? null)
        return user ? [{ event: 'inbox.unread', data: inbox[user.userId] ?? 0 }] : []
      },
    ],
    channels: {
      'private-doc-{id}': {
        cache: { ttlMs: 60_000, scope: 'channel' },
        authorize: (ctx) => {
          seen.push({ hasUser: 'user' in ctx, keys: Object.keys(ctx) })
          return { events: [{ event: 'doc.title', data: `doc ${ctx.params.id}` }] }
        },
      },
      'private-members-{id}': {
        cache: { ttlMs: 60_000, scope: 'channel' },
        user: 'optional',
        authorize: (ctx) => !('user' in ctx),
      },
      'private-mine-{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: ({ user }) => user.userId === 'alice',
      },
    },
  })
  const auth = async (channel: string, headers: Record<string, string> = {}) => {
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: channel }), headers),
    )
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  return { auth, seen, providerUsers }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe("cache: { scope: 'channel' } answers cannot depend on the caller", () => {
  it('gives the authorizer no user (absent, not null) and computes the answer once for everyone', async () => {
    const { auth, seen, providerUsers } = setup()
    const first = await auth('private-doc-1', ALICE)
    await flush()
    const second = await auth('private-doc-1', BOB)
    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.hasUser).toBe(false)
    expect(seen[0]!.keys).not.toContain('user')
    // Same events for both callers; nothing from alice's inbox reaches bob.
    expect(first.body.events).toEqual([{ event: 'doc.title', data: 'doc 1' }])
    expect(second.body.events).toEqual(first.body.events)
    // The server-wide provider ran once, for the shared answer, and saw no user.
    expect(providerUsers).toEqual([null])
  })

  it("still runs server-wide providers, with the user, for scope 'user' definitions", async () => {
    const { auth, providerUsers } = setup()
    const mine = await auth('private-mine-1', ALICE)
    expect(mine.body.events).toEqual([{ event: 'inbox.unread', data: 7 }])
    expect(providerUsers).toEqual(['alice'])
  })

  it("keeps user: 'required' gating on a session, before the cache is read", async () => {
    const { auth, seen } = setup()
    expect((await auth('private-doc-2', ALICE)).status).toBe(200)
    await flush()
    const anonymous = await auth('private-doc-2')
    expect(anonymous.status).toBe(401)
    expect((anonymous.body.error as { code: string }).code).toBe('UNAUTHENTICATED')
    expect(seen).toHaveLength(1)
  })

  it("serves an anonymous caller the same answer under user: 'optional'", async () => {
    const { auth } = setup()
    expect((await auth('private-members-1', ALICE)).status).toBe(200)
    await flush()
    expect((await auth('private-members-1')).status).toBe(200)
  })
})
