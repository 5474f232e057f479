/**
 * Runs once when the Next.js server starts: migrates the SQLite database and
 * seeds the demo users before the first request.
 */
export async function register(): Promise<void> {
  // Next.js inlines NEXT_RUNTIME, so the edge bundle drops this branch (and better-sqlite3)
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { migrateAndSeed } = await import('./lib/seed')
    await migrateAndSeed()
  }
}
