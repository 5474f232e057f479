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
  /** Insert the demo rows of `seed.ts` when the database is empty. @default true */
  seed?: boolean
}

/**
 * The example's data store: SQLite tables behind prepared statements.
 * Every method is synchronous (better-sqlite3), so authorizers stay simple.
 */
export interface Store {
  readonly db: Database.Database
  user(id: string): UserRow | undefined
  /** The user id of a live login token, or `undefined` when unknown or expired. */
  userIdForToken(token: string, now?: number): string | undefined
  /** Creates a login token for `userId`, valid for `ttlMs`. */
  createLoginToken(userId: string, ttlMs?: number): string
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
  lastMessageBy(userId: string): MessageRow | undefined
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

/**
 * Opens (and by default seeds) the SQLite store.
 *
 * @param options - where the database lives and whether to seed it
 * @returns the store; call `close()` when done
 * @example
 * const store = openStore({ path: 'data.sqlite' })
 * store.order('1001') // { id: '1001', buyer_id: '2', ... }
 */
export function openStore(options: StoreOptions = {}): Store {
  const db = new Database(options.path ?? ':memory:')
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA_SQL)
  if (options.seed ?? true) seedStore(db)

  const q = {
    user: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    token: db.prepare<[string, number], { user_id: string }>(
      'SELECT user_id FROM auth_sessions WHERE token = ? AND expires_at > ?',
    ),
    insertToken: db.prepare(
      'INSERT INTO auth_sessions (token, user_id, expires_at) VALUES (?, ?, ?)',
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
    lastMessageBy: db.prepare<[string], MessageRow>(
      'SELECT * FROM messages WHERE sender_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1',
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
    userIdForToken: (token, now = Date.now()) => q.token.get(token, now)?.user_id,
    createLoginToken(userId, ttlMs = 24 * 3600 * 1000) {
      const token = randomBytes(24).toString('base64url')
      q.insertToken.run(token, userId, Date.now() + ttlMs)
      return token
    },
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
    lastMessageBy: (userId) => q.lastMessageBy.get(userId),
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
