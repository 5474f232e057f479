/**
 * Benchmark (not a test): what a cached grant costs and saves in the auth
 * pipeline. The same `handlers.auth` request (private channel, Bearer-less
 * optional user) is answered in alternated rounds by four servers that differ
 * only in where the grant comes from:
 *
 * - `sqlite`: no cache, the authorizer runs a real better-sqlite3 query (baseline);
 * - `sqlite+slow`: no cache, the same query plus 1 ms of I/O wait (a remote database);
 * - `memory`: `memoryCache` hit, authorizer skipped;
 * - `redis`: `redisCache` hit on a real redis-server (one round trip), authorizer skipped.
 *
 * Ratios are against `sqlite`, measured in the same run.
 * Run: `pnpm --filter @presence/reliability bench:cache`
 */

import { createPresenceServer, createSigner } from '@presence/server'
import { type CacheAdapter, memoryCache, redisCache } from '@presence/server/cache'
import { startRedis } from '@presence/testing'
import Database from 'better-sqlite3'
import Redis from 'ioredis'

const ROUNDS = Number(process.env.ROUNDS ?? 5)
const REQUESTS = Number(process.env.REQUESTS ?? 2000)

const db = new Database(':memory:')
db.exec('CREATE TABLE streams (id TEXT PRIMARY KEY, public INTEGER NOT NULL)')
const insert = db.prepare('INSERT INTO streams (id, public) VALUES (?, ?)')
for (let i = 0; i < 10_000; i++) insert.run(String(i), i % 7 === 0 ? 0 : 1)
const lookup = db.prepare<[string], { public: number }>('SELECT public FROM streams WHERE id = ?')

function server(cache: CacheAdapter | undefined, waitMs: number) {
  return createPresenceServer({
    signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
    session: () => null,
    ...(cache ? { cache } : {}),
    debug: false,
    channels: {
      'private-stream@{id}': {
        user: 'optional',
        ...(cache ? { cache: { ttlMs: 600_000, scope: 'channel' as const } } : {}),
        authorize: async ({ params }) => {
          if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs))
          return lookup.get(params.id)?.public === 1
        },
      },
    },
  }).handlers.auth
}

const request = () =>
  new Request('http://localhost/pusher/auth', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=123.456&channel_name=private-stream%4043',
  })

async function measure(handler: (r: Request) => Promise<Response>): Promise<number> {
  const start = performance.now()
  for (let i = 0; i < REQUESTS; i++) {
    const response = await handler(request())
    if (response.status !== 200) throw new Error(`unexpected ${response.status}`)
    await response.arrayBuffer()
  }
  return ((performance.now() - start) * 1000) / REQUESTS // µs per request
}

const redisServer = await startRedis()
const redis = new Redis(redisServer.port, '127.0.0.1')
try {
  const kinds = {
    sqlite: server(undefined, 0),
    'sqlite+slow': server(undefined, 1),
    memory: server(memoryCache(), 0),
    redis: server(redisCache(redis, { prefix: 'bench:' }), 0),
  }
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(kinds).map((k) => [k, []]),
  )
  for (const handler of Object.values(kinds)) await measure(handler) // warm-up, fills the caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, handler] of Object.entries(kinds)) samples[kind]?.push(await measure(handler))
  }
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const base = median(samples.sqlite ?? [])
  console.log(
    `auth request, ${REQUESTS} sequential requests x ${ROUNDS} rounds (median µs/request)`,
  )
  for (const [kind, values] of Object.entries(samples)) {
    const us = median(values)
    console.log(
      `${kind.padEnd(12)} ${us.toFixed(1).padStart(8)} µs   x${(us / base).toFixed(2)} vs sqlite`,
    )
  }
} finally {
  redis.disconnect()
  await redisServer.stop()
  db.close()
}
