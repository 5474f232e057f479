import { describe, expect, expectTypeOf, it } from 'vitest'
import type { PresenceError } from './errors.js'
import { createPresenceServer } from './server.js'
import { bearerSessions, signer } from './server-fixture.js'
import type { Session } from './session/types.js'

// Compile-time checks (tsc runs over test files): params are typed from each
// pattern, ctx.user follows the definition's user requirement, and presence
// authorizers must return member data.
describe('channel definition types', () => {
  it('types params from the pattern and user from the requirement', () => {
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      channels: {
        'private-session-{sessionId}': ({ params, user }) => {
          expectTypeOf(params).toEqualTypeOf<{ readonly sessionId: string }>()
          expectTypeOf(user).toEqualTypeOf<Session>()
          return true
        },
        'presence-chat@{chatId}': {
          timeoutMs: 100,
          authorize: ({ params, user, signal }) => {
            expectTypeOf(params.chatId).toBeString()
            expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
            return { user_id: user.userId, user_info: { chat: params.chatId } }
          },
        },
        'private-feed@{feedId}': {
          user: 'optional',
          authorize: ({ user }) => {
            expectTypeOf(user).toEqualTypeOf<Session | null>()
            return { events: [{ event: 'feed.state', data: null }] }
          },
        },
      },
    })
    expectTypeOf(presence.handlers.auth).toBeCallableWith(new Request('http://x'))
  })

  it('rejects a presence authorizer returning a bare object without user_id', () => {
    type PresenceResult = ReturnType<
      Extract<
        Parameters<typeof createPresenceServer<'presence-x'>>[0]['channels']['presence-x'],
        (...args: never[]) => unknown
      >
    >
    expectTypeOf<{ events: [] }>().not.toMatchTypeOf<Awaited<PresenceResult>>()
    expectTypeOf<PresenceError>().toMatchTypeOf<Awaited<PresenceResult>>()
  })
})

describe('signer option', () => {
  it('accepts a `pusher` instance as it is, without a cast (DESIGN: a pusher instance is a signer)', async () => {
    const { pusher } = await import('./server-fixture.js')
    const presence = createPresenceServer({
      signer: pusher,
      session: bearerSessions(),
      channels: { 'private-a': () => true },
    })
    const response = await presence.handlers.auth(
      new Request('http://app.test/auth', {
        method: 'POST',
        headers: {
          authorization: 'Bearer ada',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'socket_id=1.2&channel_name=private-a',
      }),
    )
    expectTypeOf(pusher).toMatchTypeOf<Parameters<typeof createPresenceServer>[0]['signer']>()
    expect(await response.json()).toEqual(pusher.authorizeChannel('1.2', 'private-a'))
  })
})
