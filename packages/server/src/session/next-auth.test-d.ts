// Type tests, run by vitest's typecheck mode (`server:unit`): `ctx.user` follows what `nextAuth`'s
// `toSession` returns, inline and created apart, and `authOptions` is next-auth's own type.
import type { AuthOptions } from 'next-auth'
import { describe, expectTypeOf, test } from 'vitest'
import { createPresenceServer, createSigner, type Session } from '../index.js'
import { type NextAuthSession, nextAuth } from './next-auth.js'

const signer = createSigner({ key: 'k', secret: 's' })
declare const authOptions: AuthOptions

describe('nextAuth', () => {
  test('the default session is NextAuthSession, inline and created apart', () => {
    createPresenceServer({
      signer,
      session: nextAuth(authOptions),
      channels: {
        'presence-messenger': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<NextAuthSession>()
          expectTypeOf(user.userId).toEqualTypeOf<string>()
          expectTypeOf(user.user).toEqualTypeOf<NextAuthSession['user']>()
          return { user_id: user.userId }
        },
      },
    })
    const adapter = nextAuth(authOptions)
    createPresenceServer({
      signer,
      session: adapter,
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<NextAuthSession>()
          return true
        },
      },
    })
  })

  test('toSession types ctx.user', () => {
    type Member = Session & { email: string; plan: 'free' | 'pro' }
    createPresenceServer({
      signer,
      session: nextAuth(authOptions, (s): Member | null =>
        s.user?.email ? { userId: s.user.email, email: s.user.email, plan: 'pro' } : null,
      ),
      channels: {
        'private-a': ({ user }) => {
          expectTypeOf(user).toEqualTypeOf<Member>()
          expectTypeOf(user.plan).toEqualTypeOf<'free' | 'pro'>()
          return true
        },
      },
    })
  })

  test('authOptions must be next-auth options', () => {
    // @ts-expect-error a session strategy next-auth does not know
    nextAuth({ providers: [], session: { strategy: 'cookie' } })
    // @ts-expect-error toSession must return a session with a userId
    nextAuth(authOptions, () => ({ id: 'x' }))
  })
})
