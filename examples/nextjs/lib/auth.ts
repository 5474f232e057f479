import type { NextAuthOptions } from 'next-auth'
import CredentialsProvider from 'next-auth/providers/credentials'
import { DEMO_PASSWORD } from './demo-users'
import { demoMode } from './env'
import { verifyPassword } from './passwords'
import { findUserByEmail } from './users'

/**
 * next-auth v4's options, shared by its route (`pages/api/auth/[...nextauth].ts`), the page's
 * `getServerSession(authOptions)` and the presence server's `nextAuth(authOptions)`.
 *
 * Sign-in is email + password over the app's own SQLite users (the credentials provider, so
 * sessions are JWTs in an encrypted cookie). OAuth providers go in `providers` next to it, e.g.
 * `GitHubProvider({ clientId: process.env.GITHUB_ID, clientSecret: process.env.GITHUB_SECRET })`
 * from `next-auth/providers/github` (see the README). The secret is `NEXTAUTH_SECRET`, read by
 * next-auth itself; the server refuses to start without it.
 */
export const authOptions: NextAuthOptions = {
  session: { strategy: 'jwt' },
  pages: { signIn: '/' },
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials) {
        const email = credentials?.email ?? ''
        const password = credentials?.password ?? ''
        if (!email || !password) return null
        // The published demo password signs nobody in outside demo mode, whatever the database holds.
        if (password === DEMO_PASSWORD && !demoMode()) return null
        const user = findUserByEmail(email)
        if (!user || !(await verifyPassword(password, user.passwordHash))) return null
        return { id: user.id, name: user.name, email: user.email, image: user.image }
      },
    }),
  ],
  callbacks: {
    // the JWT's subject is the user id: copy it into the session the app and nextAuth() read
    session: ({ session, token }) => ({
      ...session,
      user: { ...session.user, id: token.sub ?? '' },
    }),
  },
}
