// Type tests, run by vitest's typecheck mode (`server:unit`): `ctx.user` follows the session
// adapter's type in every authorizer, and definitions written apart keep `params` typed.
import { describe, expectTypeOf, test } from 'vitest'
import {
  type AuthorizeContext,
  type CacheOption,
  type ChannelDefinition,
  createPresenceServer,
  createSigner,
  defineChannel,
  defineChannels,
  type PresenceHandler,
  type PresenceRequest,
  type Session,
  type SharedAuthorizeContext,
} from './index.js'
import { type AuthJsSession, authJs } from './session/auth-js.js'
import {
  type BetterAuthSession,
  bearerJwt,
  betterAuth,
  type ExpressUserSession,
  expressUser,
  firstOf,
  type JwtSession,
  withTenant,
} from './session/index.js'

const signer = createSigner({ key: 'k', secret: 's' })
type AppSession = Session & { name: string; roles: readonly string[] }
declare const appSession: (request: PresenceRequest) => Promise<AppSession | null>
declare const auth: {
  api: { getSession(input: { headers: Headers }): Promise<unknown> }
  $Infer: { Session: { user: { id: string; name: string }; session: { id: string } } }
}

describe('ctx.user follows the session adapter', () => {
  test('a custom adapter: every authorizer form and retained-event provider', () => {
    const presence = createPresenceServer({
      signer,
      session: appSession,
      channels: {
        'presence-room@{roomId}': ({ user, params }) => {
          expectTypeOf(user).toEqualTypeOf<AppSession>()
          expectTypeOf(params).toEqualTypeOf<{ readonly roomId: string }>()
          return { user_id: user.userId, user_info: { name: user.name } }
        },
        'private-doc@{docId}': {
          authorize: ({ user }) => {
            expectTypeOf(user.roles).toEqualTypeOf<readonly string[]>()
            return user.roles.includes('editor')
          },
          retain: [
            ({ user }) => {
              expectTypeOf(user).toEqualTypeOf<AppSession | null>()
              return []
            },
          ],
        },
        'private-feed@{feedId}': {
          user: 'optional',
          authorize: ({ user }) => {
            expectTypeOf(user).toEqualTypeOf<AppSession | null>()
            return true
          },
        },
      },
    })
    expectTypeOf(presence.handler).toEqualTypeOf<PresenceHandler>()
  })

  test('the adapters of @presence/server/session, created before the server', () => {
    const jwt = bearerJwt({ secret: new Uint8Array(32) })
    const authjs = authJs({})
    const better = betterAuth(auth)
    const express = expressUser<{ id: number }>()
    const tenant = withTenant(appSession, (s) => s.name)
    const chained = firstOf(jwt, appSession)
    createPresenceServer({
      signer,
      session: jwt,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<JwtSession>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: authjs,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<AuthJsSession>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: better,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<BetterAuthSession<typeof auth>>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: express,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<ExpressUserSession<{ id: number }>>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: tenant,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user.tenantId).toEqualTypeOf<string>()
          expectTypeOf(user.name).toEqualTypeOf<string>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: chained,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<JwtSession | AppSession>()
          return true
        },
      },
    })
  })
})

describe('ctx.user follows an adapter created inline, next to the authorizers', () => {
  // A generic factory returning a plain function type would be set aside by TypeScript's first
  // inference pass and leave `Session` here; the factories return `TypedSessionAdapter`.
  test('bearerJwt, with and without toSession', () => {
    createPresenceServer({
      signer,
      session: bearerJwt({ secret: new Uint8Array(32) }),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<JwtSession>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: bearerJwt({
        secret: new Uint8Array(32),
        toSession: (claims) => ({ userId: String(claims.sub), plan: 'pro' as const }),
      }),
      channels: {
        'presence-room@{roomId}': ({ user, params }) => {
          expectTypeOf(user.plan).toEqualTypeOf<'pro'>()
          expectTypeOf(params).toEqualTypeOf<{ readonly roomId: string }>()
          return { user_id: user.userId }
        },
      },
    })
  })

  test('authJs, betterAuth, expressUser, withTenant and firstOf', () => {
    createPresenceServer({
      signer,
      session: authJs({}),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<AuthJsSession>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: betterAuth(auth),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<BetterAuthSession<typeof auth>>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: expressUser<{ id: number }>(),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<ExpressUserSession<{ id: number }>>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: expressUser((user: { id: number; admin: boolean }) => ({
        userId: String(user.id),
        admin: user.admin,
      })),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user.admin).toEqualTypeOf<boolean>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: withTenant(appSession, (session) => session.name),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user.tenantId).toEqualTypeOf<string>()
          expectTypeOf(user.roles).toEqualTypeOf<readonly string[]>()
          return true
        },
      },
    })
    createPresenceServer({
      signer,
      session: firstOf(bearerJwt({ secret: new Uint8Array(32) }), appSession),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<JwtSession | AppSession>()
          return true
        },
      },
    })
  })
})

describe('definitions written apart', () => {
  test('defineChannel types params from the pattern, without a type argument', () => {
    const stream = defineChannel('private-stream@{streamId}', {
      priority: 'high',
      authorize: ({ params, user }) => {
        expectTypeOf(params).toEqualTypeOf<{ readonly streamId: string }>()
        expectTypeOf(user).toEqualTypeOf<Session>()
        return true
      },
    })
    const chat = defineChannel('presence-chat@{chatId}', ({ params, user }) => ({
      user_id: user.userId,
      user_info: { chat: params.chatId },
    }))
    // @ts-expect-error a presence authorizer returns member data
    defineChannel('presence-x', () => true)
    const session = defineChannels({
      'private-session-{sessionId}': ({ params }) => params.sessionId.length > 0,
      'private-org-{orgId}-{teamId}': ({ params }) => {
        expectTypeOf(params).toEqualTypeOf<{ readonly orgId: string; readonly teamId: string }>()
        return true
      },
    })
    createPresenceServer({
      signer,
      session: appSession,
      channels: { ...stream, ...chat, ...session },
    })
  })

  test('a context can be named for helpers', () => {
    const owns = (ctx: AuthorizeContext<'private-session-{sessionId}', Session>) =>
      ctx.params.sessionId === ctx.user.userId
    defineChannel('private-session-{sessionId}', owns)
  })
})

describe("cache: { scope: 'channel' } leaves user out of ctx (one answer for every caller)", () => {
  test('inline in createPresenceServer: authorize and retain have no user; other scopes keep it', () => {
    createPresenceServer({
      signer,
      session: appSession,
      channels: {
        'private-doc@{docId}': {
          cache: { ttlMs: 10_000, scope: 'channel' },
          authorize: (ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext<'private-doc@{docId}'>>()
            expectTypeOf(ctx.params).toEqualTypeOf<{ readonly docId: string }>()
            // @ts-expect-error a shared answer cannot depend on the caller
            return ctx.user !== null
          },
          retain: [
            (ctx) => {
              // @ts-expect-error nor can its retained events
              expectTypeOf(ctx.user).toBeUnknown()
              return [{ event: 'doc.title', data: ctx.params.docId }]
            },
          ],
        },
        'private-stream@{streamId}': {
          user: 'optional',
          priority: 'high',
          cache: { ttlMs: 10_000, scope: 'channel' },
          authorize: (ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext<'private-stream@{streamId}'>>()
            // @ts-expect-error destructuring user is refused too
            const { user } = ctx
            return user === null
          },
        },
        'private-mine@{id}': {
          cache: { ttlMs: 10_000, scope: 'user' },
          authorize: ({ user, params }) => {
            expectTypeOf(user).toEqualTypeOf<AppSession>()
            return user.userId === params.id
          },
          retain: [
            ({ user }) => {
              expectTypeOf(user).toEqualTypeOf<AppSession | null>()
              return []
            },
          ],
        },
        'private-feed@{feedId}': {
          user: 'optional',
          cache: { ttlMs: 10_000, scope: 'user' },
          authorize: ({ user }) => {
            expectTypeOf(user).toEqualTypeOf<AppSession | null>()
            return true
          },
        },
        'private-plain@{id}': {
          authorize: ({ user }) => {
            expectTypeOf(user).toEqualTypeOf<AppSession>()
            return true
          },
        },
        'private-bare@{id}': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<AppSession>()
          return true
        },
      },
    })
  })

  test('defineChannel and defineChannels: no user under scope channel, user under scope user', () => {
    const doc = defineChannel('private-doc@{docId}', {
      cache: { ttlMs: 10_000, scope: 'channel' },
      authorize: (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext<'private-doc@{docId}'>>()
        // @ts-expect-error a shared answer cannot depend on the caller
        return ctx.user.userId === ctx.params.docId
      },
    })
    const mine = defineChannel('private-mine@{id}', {
      cache: { ttlMs: 10_000, scope: 'user' },
      authorize: ({ user, params }) => {
        expectTypeOf(user).toEqualTypeOf<Session>()
        return user.userId === params.id
      },
    })
    const many = defineChannels({
      'private-stream@{streamId}': {
        user: 'optional',
        cache: { ttlMs: 10_000, scope: 'channel' },
        authorize: (ctx) => {
          expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext<'private-stream@{streamId}'>>()
          // @ts-expect-error a shared answer cannot depend on the caller
          return ctx.user === null
        },
        retain: [
          (ctx) => {
            // @ts-expect-error nor can its retained events
            expectTypeOf(ctx.user).toBeUnknown()
            return []
          },
        ],
      },
      'presence-stream@{streamId}': {
        cache: { ttlMs: 10_000, scope: 'user' },
        authorize: ({ user, params }) => {
          expectTypeOf(user).toEqualTypeOf<Session>()
          expectTypeOf(params).toEqualTypeOf<{ readonly streamId: string }>()
          return { user_id: user.userId }
        },
      },
      'private-plain-{id}': ({ user }) => {
        expectTypeOf(user).toEqualTypeOf<Session>()
        return true
      },
    })
    // Definitions written apart spread into the server as they are.
    createPresenceServer({ signer, session: appSession, channels: { ...doc, ...mine, ...many } })
  })

  test('server-wide retain providers may run for a shared answer: user only after a check', () => {
    createPresenceServer({
      signer,
      session: appSession,
      retain: [
        ({ channel }) => [{ event: 'all.senders', data: channel.name }],
        (ctx) => {
          // @ts-expect-error a server-wide provider also runs for shared answers, without user
          ctx.user
          if (!('user' in ctx)) {
            expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext>()
            return []
          }
          expectTypeOf(ctx.user).toEqualTypeOf<AppSession | null>()
          return []
        },
      ],
      channels: { 'private-a': () => true },
    })
  })

  test('params stay typed when no definition has anything but an authorizer', () => {
    // Nothing here gives TypeScript a cache option to infer: the patterns alone type params.
    const feature = defineChannels({
      'private-chat@{chatId}': {
        authorize: ({ user, params }) => {
          expectTypeOf(user).toEqualTypeOf<Session>()
          expectTypeOf(params).toEqualTypeOf<{ readonly chatId: string }>()
          return true
        },
      },
      'presence-chat@{chatId}': {
        authorize: ({ user, params }) => ({
          user_id: user.userId,
          user_info: { chat: params.chatId },
        }),
      },
    })
    createPresenceServer({
      signer,
      session: appSession,
      channels: {
        ...feature,
        'private-a@{id}': ({ user, params }) => {
          expectTypeOf(user).toEqualTypeOf<AppSession>()
          expectTypeOf(params).toEqualTypeOf<{ readonly id: string }>()
          return true
        },
        'presence-b@{id}': {
          authorize: ({ user, params }) => ({ user_id: user.userId, user_info: { id: params.id } }),
        },
      },
    })
    // @ts-expect-error a presence authorizer returns member data, here too
    defineChannels({ 'presence-x': { authorize: () => true } })
  })

  test('a scope known only at run time keeps user in the type; a const one drops it', () => {
    const runtimeChoice: CacheOption = { ttlMs: 1, scope: 'channel' }
    const shared = { ttlMs: 1, scope: 'channel' } as const
    // An annotation with the default C types ctx as a plain AuthorizeContext (the docs say so).
    const annotated: ChannelDefinition<'private-annotated', AppSession> = {
      cache: { ttlMs: 1, scope: 'channel' },
      authorize: ({ user }) => {
        expectTypeOf(user).toEqualTypeOf<AppSession>()
        return true
      },
    }
    createPresenceServer({
      signer,
      session: appSession,
      channels: {
        'private-a': {
          cache: runtimeChoice,
          authorize: ({ user }) => {
            expectTypeOf(user).toEqualTypeOf<AppSession>()
            return true
          },
        },
        'private-annotated': annotated,
        'private-b': {
          cache: shared,
          authorize: (ctx) => {
            expectTypeOf(ctx).toEqualTypeOf<SharedAuthorizeContext<'private-b'>>()
            return true
          },
        },
      },
    })
  })

  test('the scope must still be one of the two', () => {
    defineChannel('private-x', {
      // @ts-expect-error 'everyone' is not a scope
      cache: { ttlMs: 1, scope: 'everyone' },
      authorize: () => true,
    })
  })
})
