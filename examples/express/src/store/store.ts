import { randomBytes } from 'node:crypto'
import Database from 'better-sqlite3'
import { SCHEMA_SQL } from './schema.js'
import { seedStore } from './seed.js'

/** A row of `users`. */
export interface UserRow {
  id: string
  name: string
  avatar_url: string
  level: number
  reply_price: number
  is_streamer: number
}

/** A row of `streams`. */
export interface StreamRow {
  id: string
  user_id: string
  title: string
  online: number
  source_online: number
  viewers: number
  revenue: number
}

/** A row of `stream_sessions`. */
export interface StreamSessionRow {
  id: string
  stream_id: string
  rating: number
  exclusive: number
  live: number
  started_at: number
}

/** A row of `goals`. */
export interface GoalRow {
  id: string
  stream_id: string
  title: string
  target: number
  progress: number
  status: 'added' | 'started' | 'reached'
}

/** A row of `orders`. */
export interface OrderRow {
  id: string
  buyer_id: string
  seller_id: string
  item: string
  amount: number
  status: string
}

/** A row of `assets`. */
export interface AssetRow {
  id: string
  owner_id: string
  title: string
  public: number
}

/** A row of `messages`. */
export interface MessageRow {
  id: number
  chat_id: string
  sender_id: string
  body: string
  sent_at: number
}

/** A stored event: `data` already decoded from its JSON column. */
export interface StoredEvent {
  event: string
  data: unknown
}

/** Options for {@link openStore}. */
export interface StoreOptions {
  /** SQLite file path, or `':memory:'`. @default ':memory:' */
  path?: string
  /**
   * Demo mode: insert the demo accounts and rows of `seed.ts` when the database is empty.
   * Only the demo and dev commands turn it on; a production start never does.
   * @default false
   */
  demo?: boolean
}

/** A live login: who it is and the client (app install, browser) it was issued to. */
export interface LoginSession {
  userId: string
  /** The client the login was made on, `null` when it was issued without one. */
  clientId: string | null
}

/** Options for {@link Store.createLoginToken}. */
export interface LoginTokenOptions {
  /** How long the token stays valid, in milliseconds. @default 86400000 (one day) */
  ttlMs?: number
  /** The client the login is made on (what `presence-client@{clientId}` trusts). @default null */
  clientId?: string | null
}

/** A new row of `users`, for {@link Store.createUser}. */
export interface NewUser {
  id: string
  name: string
  avatar_url?: string
  level?: number
  reply_price?: number
  is_streamer?: boolean
}

/**
 * The example's data store: SQLite tables behind prepared statements.
 * Every method is synchronous (better-sqlite3), so authorizers stay simple.
 */
export interface Store {
  readonly db: Database.Database
  user(id: string): UserRow | undefined
  /** Adds a user (what the product's sign-up does). */
  createUser(user: NewUser): void
  /** The login behind a live token, or `undefined` when unknown or expired. */
  sessionForToken(token: string, now?: number): LoginSession | undefined
  /** Creates a random login token for `userId` (what the product's sign-in does). */
  createLoginToken(userId: string, options?: LoginTokenOptions): string
  /** Whether a demo start seeded this database (its demo accounts and their known tokens). */
  hasDemoData(): boolean
  stream(id: string): StreamRow | undefined
  /** The stream a streamer owns, if any. */
  streamOfUser(userId: string): StreamRow | undefined
  /** The live session of a stream, if it is on air. */
  liveSession(streamId: string): StreamSessionRow | undefined
  session(id: string): StreamSessionRow | undefined
  sessionEvents(sessionId: string): StoredEvent[]
  goal(id: string): GoalRow | undefined
  goalsOfStream(streamId: string): GoalRow[]
  order(id: string): OrderRow | undefined
  asset(id: string): AssetRow | undefined
  isChatMember(chatId: string, userId: string): boolean
  chatExists(chatId: string): boolean
  lastMessageOfChat(chatId: string): MessageRow | undefined
  devicesOnline(userId: string): Array<{ id: string; kind: string }>
  /** Whether `userId` subscribes to the stream (its exclusive room). */
  isSubscriber(streamId: string, userId: string): boolean
  /** Whether `userId` holds a ticket for the (exclusive) session. */
  hasTicket(sessionId: string, userId: string): boolean
  campaign(id: string): { id: string; title: string } | undefined
  /** The batch service's `Channel.events`: retained events stored for a channel name, oldest first. */
  channelEvents(channel: string): StoredEvent[]
  addChannelEvent(channel: string, event: string, data: unknown): void
  close(): void
}

function decode(rows: Array<{ event: string; data: string }>): StoredEvent[] {
  return rows.map((row) => ({ event: row.event, data: JSON.parse(row.data) as unknown }))
}

/** Brings a database made by an earlier version of the example up to {@link SCHEMA_SQL}. */
function migrate(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(auth_sessions)').all()
  if (!columns.some((column) => column.name === 'client_id')) {
    db.exec('ALTER TABLE auth_sessions ADD COLUMN client_id TEXT')
  }
}

/**
 * Opens the SQLite store (creating its tables); in demo mode, seeds an empty database with
 * the demo rows.
 *
 * @param options - where the database lives and whether this is a demo start
 * @returns the store; call `close()` when done
 * @example
 * const store = openStore({ path: 'data.sqlite' })
 * store.createUser({ id: '1', name: 'alice' })
 * const token = store.createLoginToken('1', { clientId: 'ios-7f3a' })
 */
export function openStore(options: StoreOptions = {}): Store {
  const db = new Database(options.path ?? ':memory:')
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA_SQL)
  migrate(db)
  if (options.demo === true) seedStore(db)

  const q = {
    user: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    insertUser: db.prepare(
      `INSERT INTO users (id, name, avatar_url, level, reply_price, is_streamer)
       VALUES (@id, @name, @avatar_url, @level, @reply_price, @is_streamer)`,
    ),
    token: db.prepare<[string, number], { user_id: string; client_id: string | null }>(
      'SELECT user_id, client_id FROM auth_sessions WHERE token = ? AND expires_at > ?',
    ),
    insertToken: db.prepare(
      'INSERT INTO auth_sessions (token, user_id, client_id, expires_at) VALUES (?, ?, ?, ?)',
    ),
    demoData: db.prepare<[], { one: number }>(
      `SELECT 1 AS one FROM app_meta WHERE key = 'demo_data'`,
    ),
    stream: db.prepare<[string], StreamRow>('SELECT * FROM streams WHERE id = ?'),
    streamOfUser: db.prepare<[string], StreamRow>(
      'SELECT * FROM streams WHERE user_id = ? ORDER BY online DESC, id LIMIT 1',
    ),
    liveSession: db.prepare<[string], StreamSessionRow>(
      'SELECT * FROM stream_sessions WHERE stream_id = ? AND live = 1 ORDER BY started_at DESC LIMIT 1',
    ),
    session: db.prepare<[string], StreamSessionRow>('SELECT * FROM stream_sessions WHERE id = ?'),
    sessionEvents: db.prepare<[string], { event: string; data: string }>(
      'SELECT event, data FROM session_events WHERE session_id = ? ORDER BY id',
    ),
    goal: db.prepare<[string], GoalRow>('SELECT * FROM goals WHERE id = ?'),
    goalsOfStream: db.prepare<[string], GoalRow>(
      'SELECT * FROM goals WHERE stream_id = ? ORDER BY id',
    ),
    order: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
    asset: db.prepare<[string], AssetRow>('SELECT * FROM assets WHERE id = ?'),
    chatMember: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM chat_members WHERE chat_id = ? AND user_id = ?',
    ),
    chat: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM chats WHERE id = ?'),
    lastMessageOfChat: db.prepare<[string], MessageRow>(
      'SELECT * FROM messages WHERE chat_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1',
    ),
    devicesOnline: db.prepare<[string], { id: string; kind: string }>(
      'SELECT id, kind FROM devices WHERE user_id = ? AND online = 1 ORDER BY id',
    ),
    subscriber: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM stream_subscriptions WHERE stream_id = ? AND user_id = ?',
    ),
    ticket: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM session_tickets WHERE session_id = ? AND user_id = ?',
    ),
    campaign: db.prepare<[string], { id: string; title: string }>(
      'SELECT id, title FROM campaigns WHERE id = ?',
    ),
    channelEvents: db.prepare<[string], { event: string; data: string }>(
      'SELECT event, data FROM channel_events WHERE channel = ? ORDER BY id',
    ),
    addChannelEvent: db.prepare(
      'INSERT INTO channel_events (channel, event, data) VALUES (?, ?, ?)',
    ),
  }

  return {
    db,
    user: (id) => q.user.get(id),
    createUser(user) {
      q.insertUser.run({
        id: user.id,
        name: user.name,
        avatar_url: user.avatar_url ?? '',
        level: user.level ?? 1,
        reply_price: user.reply_price ?? 0,
        is_streamer: user.is_streamer ? 1 : 0,
      })
    },
    sessionForToken(token, now = Date.now()) {
      const row = q.token.get(token, now)
      return row ? { userId: row.user_id, clientId: row.client_id } : undefined
    },
    createLoginToken(userId, { ttlMs = 24 * 3600 * 1000, clientId = null } = {}) {
      const token = randomBytes(24).toString('base64url')
      q.insertToken.run(token, userId, clientId, Date.now() + ttlMs)
      return token
    },
    hasDemoData: () => q.demoData.get() !== undefined,
    stream: (id) => q.stream.get(id),
    streamOfUser: (userId) => q.streamOfUser.get(userId),
    liveSession: (streamId) => q.liveSession.get(streamId),
    session: (id) => q.session.get(id),
    sessionEvents: (sessionId) => decode(q.sessionEvents.all(sessionId)),
    goal: (id) => q.goal.get(id),
    goalsOfStream: (streamId) => q.goalsOfStream.all(streamId),
    order: (id) => q.order.get(id),
    asset: (id) => q.asset.get(id),
    isChatMember: (chatId, userId) => q.chatMember.get(chatId, userId) !== undefined,
    chatExists: (chatId) => q.chat.get(chatId) !== undefined,
    lastMessageOfChat: (chatId) => q.lastMessageOfChat.get(chatId),
    devicesOnline: (userId) => q.devicesOnline.all(userId),
    isSubscriber: (streamId, userId) => q.subscriber.get(streamId, userId) !== undefined,
    hasTicket: (sessionId, userId) => q.ticket.get(sessionId, userId) !== undefined,
    campaign: (id) => q.campaign.get(id),
    channelEvents: (channel) => decode(q.channelEvents.all(channel)),
    addChannelEvent: (channel, event, data) => {
      q.addChannelEvent.run(channel, event, JSON.stringify(data))
    },
    close: () => db.close(),
  }
}
