/**
 * soketi 1.6.1's Redis adapter and simultaneous presence joins, reproduced
 * with plain pusher-js and hand-made signatures (no `@presence` code).
 *
 * Each run puts K clients (K distinct users) into one fresh presence channel,
 * then checks, once every client got `subscription_succeeded` and a settle
 * delay passed, that every client sees all K members, and that soketi's own
 * member list (`GET /apps/{id}/channels/{name}/users`) has K. A run fails when
 * any client sees fewer. Configurations, each measured the same number of
 * runs:
 *
 * - two nodes / one node with the Redis adapter / one node with the local
 *   (memory) adapter, joins at the same moment;
 * - two nodes, joins 100 ms apart;
 * - two nodes, each join delayed by a uniform random 0–J ms (a jittered
 *   (re)join, as a client that spreads its reconnect does);
 * - two nodes, simultaneous joins, then the repair: a client whose member
 *   count disagrees with soketi's list rejoins (unsubscribe, random 0–250 ms,
 *   subscribe), at most 3 times.
 *
 * `pnpm --filter @presence/reliability race` prints the table (RUNS=20 by default).
 */
import { fileURLToPath } from 'node:url'
import {
  type RedisServer,
  type SoketiServer,
  sleep,
  soketiChannelUsers,
  startRedis,
  startSoketi,
} from '@presence/testing'
import { plainClient } from './race-client.js'
import { fmt, type Section } from './report.js'

/** How one configuration joins its clients. */
export interface RaceConfig {
  name: string
  nodes: 1 | 2
  adapter: 'redis' | 'memory'
  /** `at-once`: every subscribe in one tick; `spaced`: `spacingMs` apart; `jitter`: uniform 0–`spacingMs`. */
  joins: 'at-once' | 'spaced' | 'jitter'
  spacingMs?: number
  /** Rejoin a channel whose member count disagrees with soketi's list. */
  repair?: boolean
  /** Apply the member events that arrived before `subscription_succeeded` on top of its snapshot. */
  replay?: boolean
}

export const RACE_CONFIGS: RaceConfig[] = [
  { name: 'two nodes, Redis adapter, joins at once', nodes: 2, adapter: 'redis', joins: 'at-once' },
  { name: 'one node, Redis adapter, joins at once', nodes: 1, adapter: 'redis', joins: 'at-once' },
  { name: 'one node, local adapter, joins at once', nodes: 1, adapter: 'memory', joins: 'at-once' },
  {
    name: 'two nodes, Redis adapter, joins 100 ms apart',
    nodes: 2,
    adapter: 'redis',
    joins: 'spaced',
    spacingMs: 100,
  },
  {
    name: 'two nodes, Redis adapter, joins jittered 0–250 ms',
    nodes: 2,
    adapter: 'redis',
    joins: 'jitter',
    spacingMs: 250,
  },
  {
    name: 'two nodes, Redis adapter, joins jittered 0–1,000 ms',
    nodes: 2,
    adapter: 'redis',
    joins: 'jitter',
    spacingMs: 1000,
  },
  {
    name: 'two nodes, Redis adapter, joins at once, early member events replayed',
    nodes: 2,
    adapter: 'redis',
    joins: 'at-once',
    replay: true,
  },
  {
    name: 'two nodes, Redis adapter, joins at once, then repair by rejoin',
    nodes: 2,
    adapter: 'redis',
    joins: 'at-once',
    repair: true,
  },
]

/** The outcome of one configuration. */
export interface RaceResult {
  config: RaceConfig
  runs: number
  /** Runs where at least one client saw fewer than K members. */
  failed: number
  /** Runs where soketi's own list (HTTP API) lacked a member. */
  serverFailed: number
  /** Members missing from client views, summed over runs. */
  missing: number
  /** Repair only: rejoins made, summed over runs. */
  rejoins: number
}

const SETTLE_MS = 400

async function withCluster<T>(
  config: RaceConfig,
  body: (nodes: SoketiServer[]) => Promise<T>,
): Promise<T> {
  let redis: RedisServer | undefined
  const nodes: SoketiServer[] = []
  try {
    if (config.adapter === 'redis') redis = await startRedis()
    for (let i = 0; i < config.nodes; i++)
      nodes.push(
        await startSoketi(
          config.adapter === 'redis' ? { adapter: 'redis', redisPort: redis!.port } : {},
        ),
      )
    return await body(nodes)
  } finally {
    await Promise.all(nodes.map((n) => n.stop()))
    await redis?.stop()
  }
}

async function oneRun(config: RaceConfig, nodes: SoketiServer[], channel: string, k: number) {
  const clients = Array.from({ length: k }, (_, i) =>
    plainClient(nodes[i % nodes.length]!, `user-${i}`, config.replay),
  )
  try {
    await Promise.all(clients.map((c) => c.connected()))
    const delay = (i: number) =>
      config.joins === 'spaced'
        ? i * config.spacingMs!
        : config.joins === 'jitter'
          ? Math.random() * config.spacingMs!
          : 0
    await Promise.all(
      clients.map(async (c, i) => {
        const d = delay(i)
        if (d > 0) await sleep(d)
        await c.join(channel)
      }),
    )
    await sleep(SETTLE_MS)
    const server = await soketiChannelUsers(nodes[0]!, channel)
    let rejoins = 0
    if (config.repair) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const wrong = clients.filter((c) => c.members(channel).length !== server.length)
        if (wrong.length === 0) break
        rejoins += wrong.length
        await Promise.all(
          wrong.map(async (c) => {
            c.pusher.unsubscribe(channel)
            await sleep(Math.random() * 250)
            await c.join(channel)
          }),
        )
        await sleep(SETTLE_MS)
      }
    }
    const seen = clients.map((c) => c.members(channel).length)
    const finalServer = await soketiChannelUsers(nodes[0]!, channel)
    return {
      failed: seen.some((n) => n < k),
      serverFailed: finalServer.length < k,
      missing: seen.reduce((sum, n) => sum + (k - n), 0),
      rejoins,
    }
  } finally {
    for (const c of clients) c.disconnect()
  }
}

/** Runs one configuration `runs` times with `k` simultaneous users, on a fresh cluster. */
export async function runRace(config: RaceConfig, runs: number, k = 4): Promise<RaceResult> {
  return withCluster(config, async (nodes) => {
    const result: RaceResult = { config, runs, failed: 0, serverFailed: 0, missing: 0, rejoins: 0 }
    for (let r = 0; r < runs; r++) {
      const o = await oneRun(config, nodes, `presence-race-${r}`, k)
      if (o.failed) result.failed++
      if (o.serverFailed) result.serverFailed++
      result.missing += o.missing
      result.rejoins += o.rejoins
    }
    return result
  })
}

/** Every configuration of {@link RACE_CONFIGS}, `runs` runs each. */
export async function measureRace(runs = 20, k = 4) {
  const results: RaceResult[] = []
  for (const config of RACE_CONFIGS) {
    process.stderr.write(`race: ${config.name}…\n`)
    results.push(await runRace(config, runs, k))
  }
  return results
}

const pct = (n: number, of: number) => `${n} / ${of} (${fmt((100 * n) / of)} %)`

export async function benchSoketiRace(
  runs = Number(process.env.RUNS ?? 20),
  k = 4,
): Promise<Section> {
  const results = await measureRace(runs, k)
  const at = (name: string) => results.find((r) => r.config.name === name)!
  const base = at(RACE_CONFIGS[0]!.name)
  const jitter = at(RACE_CONFIGS[5]!.name)
  const repair = at(RACE_CONFIGS[7]!.name)
  const replay = at(RACE_CONFIGS[6]!.name)
  return {
    title: `soketi 1.6.1 Redis adapter: ${k} simultaneous presence joins`,
    command: 'pnpm --filter @presence/reliability race',
    method: `Plain pusher-js in Node with hand-made HMAC signatures (no @presence code), one real redis-server, soketi 1.6.1. Each run: ${k} clients, ${k} distinct users, spread over the nodes, connect, then join one fresh presence channel as the row says; once all got \`subscription_succeeded\` and ${SETTLE_MS} ms passed, a run fails when any client's \`channel.members\` lacks a member. \`soketi's list\` is soketi's own answer to \`GET /channels/{name}/users\`. ${runs} runs per row, each row on a fresh cluster.`,
    table: [
      [
        'configuration',
        'runs where a client misses a member',
        'members missing (all runs)',
        "runs where soketi's list misses a member",
        'rejoins',
      ],
      ...results.map((r) => [
        r.config.name,
        pct(r.failed, r.runs),
        fmt(r.missing),
        pct(r.serverFailed, r.runs),
        r.config.repair ? fmt(r.rejoins) : '–',
      ]),
    ],
    goals: [
      {
        name: 'jittered (re)join reduces the soketi race',
        target: 'fewer failing runs than joins at once',
        measured: `${pct(jitter.failed, jitter.runs)} with 0–1,000 ms jitter vs ${pct(base.failed, base.runs)} at once`,
        met: jitter.failed < base.failed,
        ...(jitter.failed < base.failed
          ? {}
          : { note: 'jitter did not reduce the failure rate in this run' }),
      },
      {
        name: 'replaying member events that arrive before `subscription_succeeded` (prototype)',
        target: '0 failing runs',
        measured: pct(replay.failed, replay.runs),
        met: replay.failed === 0,
        ...(replay.failed === 0
          ? {}
          : { note: 'some members are never announced to the joining client' }),
      },
      {
        name: 'repair by rejoin (prototype, plain pusher-js)',
        target: '0 failing runs',
        measured: pct(repair.failed, repair.runs),
        met: repair.failed === 0,
        ...(repair.failed === 0 ? {} : { note: 'a rejoin can race again with other rejoins' }),
      },
    ],
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdownTable } = await import('./report.js')
  const section = await benchSoketiRace()
  process.stdout.write(`${section.method}\n\n${markdownTable(section.table)}\n`)
}
