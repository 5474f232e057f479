import { randomUUID } from 'node:crypto'
import { db } from './db'
import { hashPassword } from './passwords'

/** A user as the page shows it (and as `presence-messenger` signs it: `user_info`). */
export interface DirectoryUser {
  id: string
  name: string
  email: string
  image: string | null
}

/** A user with the password hash sign-in checks. */
export interface StoredUser extends DirectoryUser {
  passwordHash: string
}

/** Every user of the app, by name: the messenger's directory (for signed-in pages only). */
export function listUsers(): DirectoryUser[] {
  return db()
    .prepare('SELECT id, name, email, image FROM users ORDER BY name')
    .all() as DirectoryUser[]
}

/** The user with this email (case-insensitive), or `null`. */
export function findUserByEmail(email: string): StoredUser | null {
  const row = db()
    .prepare(
      'SELECT id, name, email, image, password_hash AS passwordHash FROM users WHERE email = ? COLLATE NOCASE',
    )
    .get(email.trim()) as StoredUser | undefined
  return row ?? null
}

/** Creates a user with a hashed password; an existing email is left as it is. */
export async function createUser(user: {
  name: string
  email: string
  password: string
}): Promise<void> {
  const passwordHash = await hashPassword(user.password)
  db()
    .prepare(
      'INSERT OR IGNORE INTO users (id, name, email, image, password_hash, created_at) VALUES (?, ?, ?, NULL, ?, ?)',
    )
    .run(randomUUID(), user.name, user.email, passwordHash, Date.now())
}

/** How many users exist. */
export function countUsers(): number {
  return (db().prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n
}
