/**
 * Runs once when the Next.js server starts, before the first request: checks the required
 * environment (a start without a secret stops here, naming every missing variable), opens and
 * migrates the SQLite database, and creates the demo accounts in demo mode only.
 */
export async function register(): Promise<void> {
  // Next.js inlines NEXT_RUNTIME, so the edge bundle drops this branch (and better-sqlite3)
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { demoMode, missingEnv, MissingEnvError } = await import('./lib/env')
    const missing = missingEnv()
    if (missing.length > 0) {
      console.error(new MissingEnvError(missing).message)
      process.exit(1)
    }
    const { db } = await import('./lib/db')
    db()
    if (demoMode()) {
      const { seedDemoUsers } = await import('./lib/seed')
      await seedDemoUsers()
    }
  }
}
