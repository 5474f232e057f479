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

/** A signed-in browser session behind the cookie (the web app's way in). */
export interface AuthSession {
  token: string
  userId: string
  activeOrganizationId: string | null
  expiresAt: number
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

interface AuthSessionRow {
  token: string
  user_id: string
  active_organization_id: string | null
  expires_at: number
}

const SCHEMA = `
create table if not exists users (
  id text primary key,
  name text not null
);
create table if not exists organizations (
  id text primary key,
  name text not null
);
create table if not exists memberships (
  organization_id text not null references organizations(id),
  user_id text not null references users(id),
  primary key (organization_id, user_id)
);
create table if not exists auth_sessions (
  token text primary key,
  user_id text not null references users(id),
  active_organization_id text references organizations(id),
  expires_at integer not null
);
create table if not exists sessions (
  session_id text primary key,
  tenant_id text not null,
  user_id text not null references users(id),
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
 * The example's SQLite database (better-sqlite3): users, organizations, memberships, cookie
 * sessions and the original app's work sessions. Every query is a prepared statement.
 *
 * @param filename - a file path, or `':memory:'` for a throwaway database
 * @example
 * const db = openDatabase(':memory:')
 * seedDemoData(db)
 * db.findSession('s-alice', 'org-acme')
 */
export function openDatabase(filename = ':memory:') {
  const sqlite = new Database(filename)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.exec(SCHEMA)

  const statements = {
    insertUser: sqlite.prepare('insert or replace into users (id, name) values (?, ?)'),
    insertOrganization: sqlite.prepare(
      'insert or replace into organizations (id, name) values (?, ?)',
    ),
    insertMembership: sqlite.prepare(
      'insert or ignore into memberships (organization_id, user_id) values (?, ?)',
    ),
    isMember: sqlite.prepare(
      'select 1 from memberships where organization_id = ? and user_id = ? limit 1',
    ),
    userExists: sqlite.prepare('select 1 from users where id = ? limit 1'),
    insertAuthSession: sqlite.prepare(
      'insert into auth_sessions (token, user_id, active_organization_id, expires_at) values (?, ?, ?, ?)',
    ),
    findAuthSession: sqlite.prepare<[string], AuthSessionRow>(
      'select token, user_id, active_organization_id, expires_at from auth_sessions where token = ?',
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
    addUser(id: string, name: string) {
      statements.insertUser.run(id, name)
    },
    addOrganization(id: string, name: string, memberIds: readonly string[]) {
      statements.insertOrganization.run(id, name)
      for (const userId of memberIds) statements.insertMembership.run(id, userId)
    },
    userExists(userId: string): boolean {
      return statements.userExists.get(userId) !== undefined
    },
    isMember(userId: string, organizationId: string): boolean {
      return statements.isMember.get(organizationId, userId) !== undefined
    },
    /** Opens a cookie session; `ttlMs` defaults to a day. */
    createAuthSession(
      userId: string,
      activeOrganizationId: string | null,
      ttlMs = 86_400_000,
    ): AuthSession {
      const session: AuthSession = {
        token: randomUUID(),
        userId,
        activeOrganizationId,
        expiresAt: Date.now() + ttlMs,
      }
      statements.insertAuthSession.run(
        session.token,
        userId,
        activeOrganizationId,
        session.expiresAt,
      )
      return session
    },
    /** The cookie session behind `token`, or `null` when unknown or expired. */
    findAuthSession(token: string): AuthSession | null {
      const row = statements.findAuthSession.get(token)
      if (!row || row.expires_at <= Date.now()) return null
      return {
        token: row.token,
        userId: row.user_id,
        activeOrganizationId: row.active_organization_id,
        expiresAt: row.expires_at,
      }
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
    close() {
      sqlite.close()
    },
  }
}

/** The example's database handle, as returned by {@link openDatabase}. */
export type ExampleDatabase = ReturnType<typeof openDatabase>
