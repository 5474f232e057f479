import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'

/**
 * The original app's `Session` document: a work session the extension follows, owned by one user
 * inside one tenant (the user's active organization, or the user itself).
 */
export interface WorkSession {
  sessionId: string
  tenantId: string
  userId: string
  title: string
  status: string
  /** Bumped on every update, so a client can tell a fresh copy from a stale one. */
  version: number
  updatedAt: number
}

interface SessionRow {
  session_id: string
  tenant_id: string
  user_id: string
  title: string
  status: string
  version: number
  updated_at: number
}

const SCHEMA = `
create table if not exists sessions (
  session_id text primary key,
  tenant_id text not null,
  user_id text not null references "user"(id),
  title text not null,
  status text not null,
  version integer not null default 1,
  updated_at integer not null
);
create index if not exists sessions_by_tenant on sessions (session_id, tenant_id);
`

function toWorkSession(row: SessionRow): WorkSession {
  return {
    sessionId: row.session_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    title: row.title,
    status: row.status,
    version: row.version,
    updatedAt: row.updated_at,
  }
}

/**
 * Opens the backend's SQLite file (better-sqlite3), `':memory:'` for a throwaway one.
 *
 * @param filename - a file path, or `':memory:'`
 * @returns the better-sqlite3 handle, in WAL mode with foreign keys on
 */
export function openSqlite(filename = ':memory:'): Database.Database {
  const sqlite = new Database(filename)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  return sqlite
}

/**
 * The work sessions of the original app, next to better-auth's tables in the same SQLite file:
 * users and organization memberships are better-auth's (`user`, `member`), read here with
 * prepared statements. Call it once better-auth's migrations ran (`sessions.user_id` references
 * better-auth's `user`).
 *
 * @param sqlite - the database better-auth uses
 * @example
 * const db = workSessions(sqlite)
 * db.findSession('s-alice', organizationId)
 */
export function workSessions(sqlite: Database.Database) {
  sqlite.exec(SCHEMA)

  const statements = {
    // better-auth's organization plugin: one row per (organization, user).
    isMember: sqlite.prepare(
      'select 1 from member where "organizationId" = ? and "userId" = ? limit 1',
    ),
    insertSession: sqlite.prepare(
      `insert into sessions (session_id, tenant_id, user_id, title, status, version, updated_at)
       values (@session_id, @tenant_id, @user_id, @title, @status, 1, @updated_at)`,
    ),
    // The original app's query: Session.findOne({ sessionId, tenantId }).select('userId')
    findSession: sqlite.prepare<[string, string], SessionRow>(
      'select * from sessions where session_id = ? and tenant_id = ?',
    ),
    updateSession: sqlite.prepare<[string, string, number, string], SessionRow>(
      `update sessions set title = ?, status = ?, version = version + 1, updated_at = ?
       where session_id = ? returning *`,
    ),
    findSessionById: sqlite.prepare<[string], SessionRow>(
      'select * from sessions where session_id = ?',
    ),
  }

  return {
    /** The underlying better-sqlite3 handle. */
    sqlite,
    /** Whether `userId` is a member of `organizationId` (better-auth's `member` table). */
    isMember(userId: string, organizationId: string): boolean {
      return statements.isMember.get(organizationId, userId) !== undefined
    },
    createSession(input: {
      sessionId?: string
      tenantId: string
      userId: string
      title: string
      status?: string
    }): WorkSession {
      const sessionId = input.sessionId ?? randomUUID()
      statements.insertSession.run({
        session_id: sessionId,
        tenant_id: input.tenantId,
        user_id: input.userId,
        title: input.title,
        status: input.status ?? 'open',
        updated_at: Date.now(),
      })
      return this.findSessionById(sessionId) as WorkSession
    },
    /** The original app's lookup: by `sessionId` AND `tenantId`; `null` when either differs. */
    findSession(sessionId: string, tenantId: string): WorkSession | null {
      const row = statements.findSession.get(sessionId, tenantId)
      return row ? toWorkSession(row) : null
    },
    findSessionById(sessionId: string): WorkSession | null {
      const row = statements.findSessionById.get(sessionId)
      return row ? toWorkSession(row) : null
    },
    updateSession(
      sessionId: string,
      patch: { title?: string; status?: string },
    ): WorkSession | null {
      const current = this.findSessionById(sessionId)
      if (!current) return null
      const row = statements.updateSession.get(
        patch.title ?? current.title,
        patch.status ?? current.status,
        Date.now(),
        sessionId,
      )
      return row ? toWorkSession(row) : null
    },
  }
}

/** The work-session store, as returned by {@link workSessions}. */
export type ExampleDatabase = ReturnType<typeof workSessions>
