import type { Database } from 'better-sqlite3'

/**
 * Demo rows: two streamers (alice, dave) and three viewers (bob, carol, eve).
 *
 * - bob bought order `1001` from alice; carol bought `1002` from dave; eve has no order.
 * - alice streams on `42` (online, live session `501`, goals `7` started and `8` added);
 *   dave's stream `43` is offline. Session `502` of stream `42` is exclusive: bob has a
 *   ticket. bob subscribes to stream `42` (its exclusive room).
 * - chat `901` holds alice and bob (one message each); asset `301` is public, `302`
 *   private to alice; alice's paired device `d-1` is online.
 * - campaign `11` has two stored channel events (`campaign.started`, `campaign.banner.updated`).
 * - Each user has a login token `token-<name>` (valid for a year) for trying the app by hand,
 *   made on the client `web-<name>` (what `presence-client@web-<name>` admits).
 *
 * Demo mode only: the rows include those known tokens, so the database is marked
 * (`app_meta.demo_data`) and a start outside demo mode refuses to run on it.
 */
export function seedStore(db: Database, now = Date.now()): void {
  const count = db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }
  if (count.n > 0) return

  const yearMs = 365 * 24 * 3600 * 1000
  const users = [
    { id: '1', name: 'alice', level: 12, reply_price: 50, is_streamer: 1 },
    { id: '2', name: 'bob', level: 3, reply_price: 0, is_streamer: 0 },
    { id: '3', name: 'carol', level: 5, reply_price: 0, is_streamer: 0 },
    { id: '4', name: 'dave', level: 8, reply_price: 20, is_streamer: 1 },
    { id: '5', name: 'eve', level: 1, reply_price: 0, is_streamer: 0 },
  ]
  const insertUser = db.prepare(
    `INSERT INTO users (id, name, avatar_url, level, reply_price, is_streamer)
     VALUES (@id, @name, @avatar_url, @level, @reply_price, @is_streamer)`,
  )
  const insertToken = db.prepare(
    'INSERT INTO auth_sessions (token, user_id, client_id, expires_at) VALUES (?, ?, ?, ?)',
  )
  const run = db.transaction(() => {
    db.prepare(`INSERT INTO app_meta (key, value) VALUES ('demo_data', ?)`).run(String(now))
    for (const user of users) {
      insertUser.run({ ...user, avatar_url: `https://avatars.example/${user.name}.png` })
      insertToken.run(`token-${user.name}`, user.id, `web-${user.name}`, now + yearMs)
    }
    db.prepare(
      `INSERT INTO streams (id, user_id, title, online, source_online, viewers, revenue) VALUES
       ('42', '1', 'Alice live', 1, 1, 120, 5400),
       ('43', '4', 'Dave later', 0, 0, 0, 0)`,
    ).run()
    db.prepare(
      `INSERT INTO stream_sessions (id, stream_id, rating, exclusive, live, started_at) VALUES
       ('501', '42', 4.7, 0, 1, ?),
       ('502', '42', 4.9, 1, 0, ?)`,
    ).run(now - 3600_000, now - 86_400_000)
    db.prepare(`INSERT INTO stream_subscriptions (stream_id, user_id) VALUES ('42', '2')`).run()
    db.prepare(`INSERT INTO session_tickets (session_id, user_id) VALUES ('502', '2')`).run()
    db.prepare(
      `INSERT INTO session_events (session_id, event, data) VALUES
       ('501', 'session.tip.received', '{"from":"2","amount":25}'),
       ('501', 'session.poll.started', '{"question":"Next song?"}')`,
    ).run()
    db.prepare(
      `INSERT INTO goals (id, stream_id, title, target, progress, status) VALUES
       ('7', '42', 'New camera', 1000, 420, 'started'),
       ('8', '42', 'Charity run', 500, 0, 'added')`,
    ).run()
    db.prepare(
      `INSERT INTO orders (id, buyer_id, seller_id, item, amount, status) VALUES
       ('1001', '2', '1', 'Private show', 300, 'paid'),
       ('1002', '3', '4', 'Signed poster', 40, 'shipped')`,
    ).run()
    db.prepare(
      `INSERT INTO assets (id, owner_id, title, public) VALUES
       ('301', '1', 'Highlights', 1),
       ('302', '1', 'Backstage', 0)`,
    ).run()
    db.prepare(`INSERT INTO chats (id, title) VALUES ('901', 'alice & bob')`).run()
    db.prepare(
      `INSERT INTO chat_members (chat_id, user_id) VALUES ('901', '1'), ('901', '2')`,
    ).run()
    db.prepare(
      `INSERT INTO messages (chat_id, sender_id, body, sent_at) VALUES
       ('901', '2', 'Great show!', ?),
       ('901', '1', 'Thanks for watching!', ?)`,
    ).run(now - 60_000, now - 30_000)
    db.prepare(
      `INSERT INTO devices (id, user_id, kind, online) VALUES ('d-1', '1', 'lovense', 1)`,
    ).run()
    db.prepare(
      `INSERT INTO channel_events (channel, event, data) VALUES
       ('private-stream@42', 'stream.announcement', '{"text":"Welcome to the stream"}'),
       ('private-campaign@11', 'campaign.started', '{"campaignId":"11","title":"Summer festival"}'),
       ('private-campaign@11', 'campaign.banner.updated', '{"campaignId":"11","image":"https://assets.example/summer.png"}')`,
    ).run()
    db.prepare(`INSERT INTO campaigns (id, title) VALUES ('11', 'Summer festival')`).run()
  })
  run()
}
