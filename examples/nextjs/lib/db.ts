import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { databasePath } from './env'

let instance: Database.Database | undefined

/**
 * The app's SQLite database (better-sqlite3), opened and migrated on first use so that
 * `next build` opens none. One table: the users the messenger lists and signs in.
 */
export function db(): Database.Database {
  if (instance) return instance
  const file = resolve(databasePath())
  mkdirSync(dirname(file), { recursive: true })
  const database = new Database(file)
  database.pragma('journal_mode = WAL')
  database.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      email TEXT NOT NULL UNIQUE,
      image TEXT,
      password_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )
  `)
  instance = database
  return database
}
