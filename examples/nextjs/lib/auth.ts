import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { betterAuth } from 'better-auth'
import { nextCookies } from 'better-auth/next-js'
import Database from 'better-sqlite3'
import { databasePath } from './env'

function createAuth() {
  const file = resolve(databasePath())
  mkdirSync(dirname(file), { recursive: true })
  const database = new Database(file)
  database.pragma('journal_mode = WAL')
  return betterAuth({
    database,
    // BETTER_AUTH_SECRET in production; a fixed secret keeps `pnpm demo` zero-config.
    secret: process.env.BETTER_AUTH_SECRET ?? 'presence-demo-secret-not-for-production-0123456789',
    emailAndPassword: { enabled: true, autoSignIn: true },
    // BETTER_AUTH_URL when deployed; on a laptop any loopback port (the demo picks a free one).
    baseURL: process.env.BETTER_AUTH_URL ?? {
      allowedHosts: ['localhost:*', '127.0.0.1:*'],
      protocol: 'http',
      // for calls outside a request (seeding the demo users at startup)
      fallback: 'http://localhost:3000',
    },
    telemetry: { enabled: false },
    // better-auth's default allows 3 sign-ins per 10 s per IP; a demo signs in several users
    // from 127.0.0.1 at once (two simulated users, two browsers).
    rateLimit: { customRules: { '/sign-in/email': { window: 10, max: 20 } } },
    // nextCookies must be last: it forwards Set-Cookie from server actions.
    plugins: [nextCookies()],
  })
}

/** The better-auth instance of the app (SQLite through better-sqlite3). */
export type Auth = ReturnType<typeof createAuth>

let instance: Auth | undefined

/**
 * The app's better-auth instance, created on first use so that `next build`
 * opens no database.
 */
export function getAuth(): Auth {
  instance ??= createAuth()
  return instance
}
