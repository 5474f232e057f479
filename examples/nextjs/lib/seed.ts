import { getAuth } from './auth'
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users'

/**
 * Creates better-auth's tables when missing, then signs up every demo user
 * that does not exist yet through better-auth's own API (so the passwords are
 * hashed the way sign-in expects). Safe to run on every start.
 */
export async function migrateAndSeed(): Promise<void> {
  const auth = getAuth()
  const ctx = await auth.$context
  await ctx.runMigrations()
  for (const user of DEMO_USERS) {
    const existing = await ctx.internalAdapter.findUserByEmail(user.email)
    if (existing) continue
    await auth.api.signUpEmail({ body: { ...user, password: DEMO_PASSWORD } })
  }
}
