/**
 * Runs once when the Next.js server starts: migrates the SQLite database and
 * seeds the demo users before the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { migrateAndSeed } = await import('./lib/seed')
  await migrateAndSeed()
}
