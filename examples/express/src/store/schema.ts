/**
 * The SQL schema of the example's data store (SQLite through better-sqlite3).
 *
 * The batch service authorizes channels against a product database: users, their live
 * streams and stream sessions, goals, orders, assets and chats. These tables
 * are a small but real version of it; every authorizer and retained-event
 * provider reads them with SQL.
 * @module
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  avatar_url    TEXT NOT NULL,
  level         INTEGER NOT NULL DEFAULT 1,
  reply_price   INTEGER NOT NULL DEFAULT 0,
  is_streamer   INTEGER NOT NULL DEFAULT 0
);

-- Login sessions: a Bearer token (or the "sid" cookie) names a row here. A login is made on
-- one client (an app install or a browser): client_id is that client, bound when the token is
-- issued, so a caller cannot claim another client by sending another X-Client-ID.
CREATE TABLE IF NOT EXISTS auth_sessions (
  token         TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  client_id     TEXT,
  expires_at    INTEGER NOT NULL
);

-- Facts about the database itself: 'demo_data' marks a database seeded by a demo start.
CREATE TABLE IF NOT EXISTS app_meta (
  key           TEXT PRIMARY KEY,
  value         TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS streams (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  title         TEXT NOT NULL,
  online        INTEGER NOT NULL DEFAULT 0,
  source_online INTEGER NOT NULL DEFAULT 0,
  viewers       INTEGER NOT NULL DEFAULT 0,
  revenue       INTEGER NOT NULL DEFAULT 0
);

-- A stream session: one broadcast of a stream ("session" feature).
CREATE TABLE IF NOT EXISTS stream_sessions (
  id            TEXT PRIMARY KEY,
  stream_id     TEXT NOT NULL REFERENCES streams(id),
  rating        REAL NOT NULL DEFAULT 0,
  exclusive     INTEGER NOT NULL DEFAULT 0,
  live          INTEGER NOT NULL DEFAULT 0,
  started_at    INTEGER NOT NULL
);

-- Ephemeral events of a session, replayed to late subscribers (the batch service's session.events).
CREATE TABLE IF NOT EXISTS session_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id    TEXT NOT NULL REFERENCES stream_sessions(id),
  event         TEXT NOT NULL,
  data          TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS goals (
  id            TEXT PRIMARY KEY,
  stream_id     TEXT NOT NULL REFERENCES streams(id),
  title         TEXT NOT NULL,
  target        INTEGER NOT NULL,
  progress      INTEGER NOT NULL DEFAULT 0,
  status        TEXT NOT NULL CHECK (status IN ('added', 'started', 'reached'))
);

CREATE TABLE IF NOT EXISTS orders (
  id            TEXT PRIMARY KEY,
  buyer_id      TEXT NOT NULL REFERENCES users(id),
  seller_id     TEXT NOT NULL REFERENCES users(id),
  item          TEXT NOT NULL,
  amount        INTEGER NOT NULL,
  status        TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS assets (
  id            TEXT PRIMARY KEY,
  owner_id      TEXT NOT NULL REFERENCES users(id),
  title         TEXT NOT NULL,
  public        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS chats (
  id            TEXT PRIMARY KEY,
  title         TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS chat_members (
  chat_id       TEXT NOT NULL REFERENCES chats(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (chat_id, user_id)
);

CREATE TABLE IF NOT EXISTS messages (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id       TEXT NOT NULL REFERENCES chats(id),
  sender_id     TEXT NOT NULL REFERENCES users(id),
  body          TEXT NOT NULL,
  sent_at       INTEGER NOT NULL
);

-- Lovense-style toys paired with a user (the batch service's device.online).
CREATE TABLE IF NOT EXISTS devices (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  kind          TEXT NOT NULL,
  online        INTEGER NOT NULL DEFAULT 0
);

-- Subscribers of a stream: they may join its exclusive room ("stream-exclusive" feature).
CREATE TABLE IF NOT EXISTS stream_subscriptions (
  stream_id     TEXT NOT NULL REFERENCES streams(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (stream_id, user_id)
);

-- Tickets for exclusive sessions ("session-exclusive" feature).
CREATE TABLE IF NOT EXISTS session_tickets (
  session_id    TEXT NOT NULL REFERENCES stream_sessions(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (session_id, user_id)
);

-- Marketing campaigns: public channels whose stored events every visitor gets ("campaign").
CREATE TABLE IF NOT EXISTS campaigns (
  id            TEXT PRIMARY KEY,
  title         TEXT NOT NULL
);

-- Retained events of a channel (the batch service's Channel.events), replayed on subscribe.
CREATE TABLE IF NOT EXISTS channel_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  channel       TEXT NOT NULL,
  event         TEXT NOT NULL,
  data          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS channel_events_by_channel ON channel_events(channel, id);
`
