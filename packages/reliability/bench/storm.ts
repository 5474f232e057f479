/**
 * Reconnect storm at the app server: N simulated clients (pusher-js in Node,
 * spread over several worker processes), each in 5 private channels and 1
 * presence channel (rooms of 10 users), authorized through two app
 * instances; then one soketi node restarts and its clients all come back at
 * once. Measured from the restart: auth HTTP requests and session lookups at
 * the app instances, auth latency at the server (arrival → answer sent)
 * p50/p99, the per-100 ms histogram of arriving requests, and the time until
 * every client's member store matches soketi's own member list
 * (`GET /channels/{name}/users`) for every room. Side by side:
 * `@presence/client` (batch endpoint) and pusher-js's default authorizer
 * (one request per channel), each on a fresh cluster.
 *
 * `pnpm --filter @presence/reliability storm` runs the full storm (1,000
 * clients, two soketi nodes sharing one redis-server); the integration test
 * `src/storm.integration.test.ts` runs a short one (100 clients) for
 * correctness only.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  getFreePort,
  type ManagedProcess,
  type RedisServer,
  type SoketiServer,
  sleep,
  soketiChannelUsers,
  startProcess,
  startRedis,
  startSoketi,
  waitFor,
} from '@presence/testing'
import { fmt, type Section } from './report.js'
import { quantile } from './stats.js'
import type { StormClientSpec, StormMode, WorkerMessage, WorkerReply } from './storm-worker.js'

/** Options of {@link runStorm}. */
export interface StormOptions {
  /** @default 1000 */
  clients?: number
  /** Client processes. @default 4 */
  workers?: number
  /** soketi nodes: 2 share one redis-server (Redis adapter), 1 uses the local adapter. @default 2 */
  nodes?: 1 | 2
  /** @default 10 */
  roomSize?: number
  /**
   * Delay between two clients' creation in one worker, during setup.
   * @default enough for two members of one room to join ≥ 300 ms apart
   */
  spacingMs?: number
  /**
   * How long to wait for every store to match, at setup and after the restart; the wait ends
   * early when only stuck stores are left (connected, subscribed, wrong) for 3 s.
   * @default 45000
   */
  convergeTimeoutMs?: number
  /** When the stores have not converged, rejoin the wrong ones (at most 3 rounds). @default false */
  repair?: boolean
  log?: (line: string) => void
}

/** What one storm measured, from the moment the soketi node began to restart. */
export interface StormResult {
  mode: StormMode
  clients: number
  nodes: number
  /** Every store matched soketi's list before the restart (without the repair). */
  setupConverged: boolean
  /** How long the soketi node took to stop and answer again, ms. */
  restartMs: number
  requests: number
  sessions: number
  channelsAuthorized: number
  non2xx: number
  /** Server-side auth latency, ms. */
  p50: number
  p99: number
  /** Requests arriving per 100 ms from the first one after the restart. */
  histogram: number[]
  /** ms from the node answering again until every store matched, or null if they never did. */
  convergedMs: number | null
  /**
   * ms from the node answering again until every client was subscribed again and only stuck
   * stores (see {@link StormOptions.convergeTimeoutMs}) were left, or null.
   */
  settledMs: number | null
  /** ms from the node answering again until the first auth request arrived. */
  firstRequestMs: number | null
  /** Stores (client × room) differing from soketi's list when the wait ended (before any repair). */
  wrongStores: number
  /** The same after the repair (equal to `wrongStores` without it). */
  wrongAfterRepair: number
  /** Rejoins made by the repair, and when the stores matched after it (ms since the node answered again). */
  rejoins: number
  repairedMs: number | null
  errors: string[]
}

const workerFile = fileURLToPath(new URL('./storm-worker.ts', import.meta.url))
const appFile = fileURLToPath(new URL('./storm-app.ts', import.meta.url))
const now = () => performance.timeOrigin + performance.now()

async function startApp(
  key: string,
  secret: string,
): Promise<{ url: string; proc: ManagedProcess }> {
  const proc = startProcess(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', appFile, key, secret],
    {},
  )
  const port = await waitFor(() => /ready (\d+)/.exec(proc.output())?.[1], {
    timeoutMs: 30_000,
    what: 'storm app instance',
  })
  return { url: `http://127.0.0.1:${port}`, proc }
}

function startWorker(): {
  child: ChildProcess
  next: (type: WorkerReply['type']) => Promise<WorkerReply>
  send: (m: WorkerMessage) => void
} {
  const child = fork(workerFile, [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const waiting: Array<[WorkerReply['type'], (r: WorkerReply) => void]> = []
  child.on('message', (m: WorkerReply) => {
    const i = waiting.findIndex(([t]) => t === m.type)
    if (i >= 0) waiting.splice(i, 1)[0]![1](m)
  })
  return {
    child,
    send: (m) => child.send(m),
    next: (type) => new Promise((resolve) => waiting.push([type, resolve])),
  }
}

type StormWorker = ReturnType<typeof startWorker>

/** The options of one storm, defaults applied. */
type StormSettings = Required<Omit<StormOptions, 'spacingMs'>> & { spacingMs: number | undefined }

/** What one storm started (stopped by {@link stopCluster}, even when half started) and what it expects. */
interface Storm {
  mode: StormMode
  settings: StormSettings
  redis: RedisServer | undefined
  nodes: SoketiServer[]
  apps: Array<{ url: string; proc: ManagedProcess }>
  workers: StormWorker[]
  /** The members of each room, sorted: what soketi's list and every store should hold. */
  expected: Map<string, string[]>
  errors: string[]
}

/** The state of the stores at one check (see {@link checkStores}), and whether it is final. */
type Settled = Awaited<ReturnType<typeof checkStores>> & { ok: boolean; settledAt: number | null }

/** A request the app instances saw: arrival time, latency ms, channels authorized, status. */
type StormRequest = [number, number, number, number]

function stormSettings(options: StormOptions): StormSettings {
  const {
    clients = 1000,
    workers = 4,
    nodes = 2,
    roomSize = 10,
    spacingMs,
    convergeTimeoutMs = 45_000,
    repair = false,
    log = () => {},
  } = options
  return { clients, workers, nodes, roomSize, spacingMs, convergeTimeoutMs, repair, log }
}

function soketiOptions(storm: Storm, port: number) {
  return {
    port,
    ...(storm.redis ? { adapter: 'redis' as const, redisPort: storm.redis.port } : {}),
  }
}

/** redis-server (two nodes only), the soketi nodes, two app instances, the client processes. */
async function startCluster(storm: Storm): Promise<void> {
  const { nodes: nodeCount, workers: workerCount } = storm.settings
  if (nodeCount === 2) storm.redis = await startRedis()
  for (let n = 0; n < nodeCount; n++)
    storm.nodes.push(await startSoketi(soketiOptions(storm, await getFreePort())))
  const { key, secret } = storm.nodes[0]!
  storm.apps.push(await startApp(key, secret), await startApp(key, secret))
  for (let w = 0; w < workerCount; w++) storm.workers.push(startWorker())
}

/**
 * Room r holds clients r, r + rooms, r + 2·rooms…; consecutive members of a room sit on
 * alternating nodes, and join `rooms` clients apart (no simultaneous joins during setup).
 */
function clientSpecs(storm: Storm, rooms: number): StormClientSpec[] {
  const { clients, nodes: nodeCount } = storm.settings
  return Array.from({ length: clients }, (_, i) => {
    const node = storm.nodes[Math.floor(i / rooms) % nodeCount]!
    return {
      user: `user-${i}`,
      room: `presence-room@${i % rooms}`,
      items: Array.from({ length: 5 }, (_, k) => `private-item@${i}-${k}`),
      pusher: node.pusherJsOptions,
      key: node.key,
      app: storm.apps[i % 2]!.url,
    }
  })
}

/** Creates the clients, spread over the workers, and waits until every worker has made its own. */
async function startClients(storm: Storm): Promise<void> {
  const { clients, workers: workerCount, nodes: nodeCount, roomSize, spacingMs } = storm.settings
  const rooms = Math.max(1, Math.round(clients / roomSize))
  const specs = clientSpecs(storm, rooms)
  for (const s of specs) storm.expected.set(s.room, [...(storm.expected.get(s.room) ?? []), s.user])
  for (const list of storm.expected.values()) list.sort()

  storm.settings.log(
    `storm ${storm.mode}: ${clients} clients, ${workerCount} workers, ${nodeCount} soketi node(s)`,
  )
  const ready = storm.workers.map((w) => w.next('ready'))
  for (const [k, w] of storm.workers.entries()) {
    w.send({
      type: 'start',
      mode: storm.mode,
      spacingMs: spacingMs ?? Math.ceil((300 * workerCount) / rooms),
      clients: specs.filter((_, i) => i % workerCount === k),
    })
  }
  await Promise.all(ready)
}

/** Every client's view of its room, from every worker (their errors collected on the way). */
async function clientViews(storm: Storm) {
  const replies = await Promise.all(
    storm.workers.map((w) => {
      const reply = w.next('views')
      w.send({ type: 'views' })
      return reply
    }),
  )
  const views: Extract<WorkerReply, { type: 'views' }>['views'] = []
  for (const r of replies) {
    if (r.type !== 'views') continue
    storm.errors.push(...r.errors)
    views.push(...r.views)
  }
  return views
}

/**
 * What differs from soketi's list: rooms whose list lacks a user (someone has not rejoined
 * yet), and clients whose store differs. `stuck` are the clients that are connected and
 * subscribed, in a complete room, and still hold a wrong list: time will not fix them.
 */
async function checkStores(storm: Storm) {
  const views = await clientViews(storm)
  const truth = new Map<string, string>()
  const survivor = storm.nodes[storm.settings.nodes - 1]!
  await Promise.all(
    [...storm.expected.keys()].map(async (room) =>
      truth.set(room, (await soketiChannelUsers(survivor, room)).join()),
    ),
  )
  const bad: string[] = []
  const stuck: string[] = []
  const why = { roomIncomplete: 0, disconnected: 0, notSubscribed: 0, differs: 0 }
  for (const [room, list] of storm.expected)
    if (truth.get(room) !== list.join()) {
      bad.push(room)
      why.roomIncomplete++
    }
  for (const [user, room, ids, state] of views) {
    if (ids?.join() === truth.get(room)) continue
    bad.push(user)
    if (state !== 'connected') why.disconnected++
    else if (ids === null) why.notSubscribed++
    else {
      why.differs++
      if (truth.get(room) === storm.expected.get(room)!.join()) stuck.push(user)
    }
  }
  return { bad, stuck, why }
}

/**
 * Polls until every store matches (`ok`), the deadline passes, or only stuck clients are
 * left for 3 s (nothing else will change).
 */
async function settle(storm: Storm, deadline: number): Promise<Settled> {
  let stuckSince = Number.POSITIVE_INFINITY
  for (;;) {
    const c = await checkStores(storm)
    if (c.bad.length === 0) return { ok: true, settledAt: now(), ...c }
    const onlyStuck = c.stuck.length === c.bad.length
    stuckSince = onlyStuck ? Math.min(stuckSince, now()) : Number.POSITIVE_INFINITY
    if (now() > deadline || now() - stuckSince > 3_000) {
      storm.settings.log(`storm ${storm.mode}: not converged: ${JSON.stringify(c.why)}`)
      return { ok: false, settledAt: onlyStuck ? stuckSince : null, ...c }
    }
    await sleep(250)
  }
}

/** The repair prototype: the stuck clients rejoin (jittered), up to 3 rounds. */
async function repairRounds(storm: Storm, settled: Settled) {
  let state = settled
  let rejoined = 0
  for (let round = 0; round < 3 && !state.ok; round++) {
    rejoined += state.stuck.length
    for (const w of storm.workers) w.send({ type: 'rejoin', users: state.stuck })
    state = await settle(storm, now() + storm.settings.convergeTimeoutMs)
  }
  return { state, rejoined }
}

/** Waits for every store to match before the restart (repairing if needed); true if it did unaided. */
async function settleSetup(storm: Storm): Promise<boolean> {
  const setup = await settle(storm, now() + storm.settings.convergeTimeoutMs)
  if (setup.ok) return true
  storm.settings.log(`storm ${storm.mode}: setup not converged, repairing`)
  const { state } = await repairRounds(storm, setup)
  if (!state.ok)
    throw new Error(`storm ${storm.mode}: setup never converged: ${state.bad.join(', ')}`)
  return false
}

/** Restarts the first soketi node on its port; `t0` when it began to stop, `back` when it answered again. */
async function restartNode(storm: Storm): Promise<{ t0: number; back: number }> {
  await Promise.all(storm.apps.map((a) => fetch(`${a.url}/reset`)))
  const t0 = now()
  const restarted = storm.nodes[0]!
  await restarted.stop()
  storm.nodes[0] = await startSoketi(soketiOptions(storm, restarted.port))
  const back = now()
  storm.settings.log(`storm ${storm.mode}: soketi node restarted in ${fmt(back - t0)} ms`)
  return { t0, back }
}

/** Waits for the stores after the restart, then repairs them if asked to. */
async function settleAfterRestart(storm: Storm, back: number) {
  const after = await settle(storm, back + storm.settings.convergeTimeoutMs)
  const convergedMs = after.ok ? now() - back : null
  let rejoins = 0
  let repairedMs: number | null = null
  let final = after
  if (!after.ok && storm.settings.repair) {
    const r = await repairRounds(storm, after)
    final = r.state
    rejoins = r.rejoined
    if (final.ok) repairedMs = now() - back
  }
  storm.settings.log(
    `storm ${storm.mode}: ${convergedMs === null ? `not converged (${after.bad.length} wrong); after repair ${final.bad.length} wrong` : `converged in ${fmt(convergedMs)} ms`}`,
  )
  return { after, final, convergedMs, rejoins, repairedMs }
}

/** The app instances' requests since `t0`, and their session lookups. */
async function appStats(storm: Storm, t0: number) {
  const stats = await Promise.all(
    storm.apps.map(
      async (a) =>
        (await (await fetch(`${a.url}/stats`)).json()) as {
          sessions: number
          requests: StormRequest[]
        },
    ),
  )
  const requests = stats.flatMap((s) => s.requests).filter(([t]) => t >= t0)
  return { requests, sessions: stats.reduce((sum, s) => sum + s.sessions, 0) }
}

/** Requests per 100 ms from `first`. */
function histogramOf(requests: StormRequest[], first: number): number[] {
  const histogram: number[] = []
  for (const [t] of requests) {
    const slot = Math.floor((t - first) / 100)
    while (histogram.length <= slot) histogram.push(0)
    histogram[slot]!++
  }
  return histogram
}

/** Stops the client processes (killed after 5 s), the app instances, the soketi nodes and redis. */
async function stopCluster(storm: Storm): Promise<void> {
  for (const w of storm.workers) {
    if (w.child.connected) w.send({ type: 'stop' })
  }
  await Promise.all(
    storm.workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve()
          const timer = setTimeout(() => w.child.kill('SIGKILL'), 5_000)
          w.child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
        }),
    ),
  )
  await Promise.all(storm.apps.map((a) => a.proc.stop()))
  await Promise.all(storm.nodes.map((n) => n.stop()))
  await storm.redis?.stop()
}

/**
 * One storm in one mode, on a fresh cluster; stops everything it started. The steps: start
 * the cluster, start the clients, wait for their stores to match soketi's lists, restart a
 * soketi node, wait again (and repair), read the app instances' figures.
 */
export async function runStorm(mode: StormMode, options: StormOptions = {}): Promise<StormResult> {
  const storm: Storm = {
    mode,
    settings: stormSettings(options),
    redis: undefined,
    nodes: [],
    apps: [],
    workers: [],
    expected: new Map(),
    errors: [],
  }
  try {
    await startCluster(storm)
    await startClients(storm)
    const setupConverged = await settleSetup(storm)
    const { t0, back } = await restartNode(storm)
    const { after, final, convergedMs, rejoins, repairedMs } = await settleAfterRestart(storm, back)
    const { requests, sessions } = await appStats(storm, t0)
    const first = Math.min(...requests.map(([t]) => t))
    const latency = requests.map(([, ms]) => ms)
    return {
      mode,
      clients: storm.settings.clients,
      nodes: storm.settings.nodes,
      setupConverged,
      restartMs: back - t0,
      requests: requests.length,
      sessions,
      channelsAuthorized: requests.reduce((sum, [, , c]) => sum + c, 0),
      non2xx: requests.filter(([, , , status]) => status < 200 || status > 299).length,
      p50: quantile(latency, 0.5),
      p99: quantile(latency, 0.99),
      histogram: histogramOf(requests, first),
      convergedMs,
      settledMs: after.settledAt === null ? null : after.settledAt - back,
      firstRequestMs: requests.length ? first - back : null,
      wrongStores: after.bad.filter((b) => b.startsWith('user-')).length,
      wrongAfterRepair: final.bad.filter((b) => b.startsWith('user-')).length,
      rejoins,
      repairedMs,
      errors: [...new Set(storm.errors)],
    }
  } finally {
    await stopCluster(storm)
  }
}

/** `▁▂▅█▃▁`: a per-100 ms histogram as one line of block characters, scaled to its peak. */
export function sparkline(histogram: number[]): string {
  const blocks = '▁▂▃▄▅▆▇█'
  const peak = Math.max(1, ...histogram)
  return histogram
    .map((n) => (n === 0 ? '·' : blocks[Math.min(7, Math.floor((n / peak) * 7.999))]))
    .join('')
}

/** Sums a per-100 ms histogram per second. */
const perSecond = (histogram: number[]) =>
  Array.from({ length: Math.ceil(histogram.length / 10) }, (_, i) =>
    histogram.slice(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0),
  )

const ms = (v: number | null) => (v === null ? 'never' : `${fmt(v / 1000, 1)} s`)

/** Both modes, one after the other, each on a fresh cluster. */
export async function measureStorm(options: StormOptions = {}) {
  const results: StormResult[] = []
  for (const mode of ['presence', 'pusher-js'] as const) results.push(await runStorm(mode, options))
  return results
}

export async function benchStorm(options: StormOptions = {}): Promise<Section> {
  const started = now()
  const results = await measureStorm({
    repair: true,
    log: (l) => process.stderr.write(`${l}\n`),
    ...options,
  })
  const wall = now() - started
  const [ours, theirs] = results as [StormResult, StormResult]
  const label: Record<StormMode, string> = {
    presence: '`@presence/client` (batched, jittered reconnection)',
    'pusher-js': 'pusher-js default (one request per channel)',
  }
  const peak = (r: StormResult) => Math.max(0, ...r.histogram)
  const lat = (r: StormResult) => `${fmt(r.p50, 1)} / ${fmt(r.p99, 1)}`
  return {
    title: `Reconnect storm: ${fmt(ours.clients)} clients, a soketi node restarts`,
    command: 'pnpm --filter @presence/reliability storm',
    method: `${fmt(ours.clients)} pusher-js clients in Node (4 processes), each its own user in 5 private channels and 1 presence channel (rooms of 10 users), spread over ${ours.nodes} soketi node(s)${ours.nodes === 2 ? ' sharing one redis-server (Redis adapter)' : ''} and two app instances (\`toNodeHandler\`, a 5 ms session lookup). Setup joins the members of one room ≥ 300 ms apart. Once every store matched soketi's member list, the first soketi node restarts (SIGTERM, then a new process on the same port: ${fmt(ours.restartMs / 1000, 1)} s / ${fmt(theirs.restartMs / 1000, 1)} s until it answered again) and its clients reconnect: \`@presence/client\` with its jittered reconnection (retries drawn from a window doubling from 1 s up to 3 s), pusher-js's default with its own timing. Counted at the app instances from the restart on; latency is the server's (request in → answer sent), p50 / p99; times are from the node answering again. "Stores match" means every client's member list of its room equals soketi's \`GET /channels/{room}/users\` and every room has all its users (checked every ~250 ms, so ± 0.5 s). The wait ends after 45 s, or earlier once only stuck stores are left for 3 s (connected, subscribed, in a room soketi lists complete, yet missing a member: time will not fix them). Then the stuck clients rejoin their presence channel (the repair prototype: leave, random 0–1,000 ms, join; up to 3 rounds). Both modes on a fresh cluster each; the whole run took ${fmt(wall / 1000)} s.`,
    table: [
      [
        'client',
        'auth requests',
        'session lookups',
        'channels authorized',
        'non-2xx',
        'auth latency p50 / p99 (ms)',
        'first request after',
        'peak requests per 100 ms',
        'all re-subscribed after',
        'stores match soketi',
        'after repair: rejoins, stores wrong, all match after',
      ],
      ...results.map((r) => [
        label[r.mode],
        fmt(r.requests),
        fmt(r.sessions),
        fmt(r.channelsAuthorized),
        fmt(r.non2xx),
        lat(r),
        ms(r.firstRequestMs),
        fmt(peak(r)),
        ms(r.settledMs ?? r.convergedMs),
        r.convergedMs !== null
          ? `yes, after ${ms(r.convergedMs)}`
          : `**no**: ${fmt(r.wrongStores)} stuck`,
        r.convergedMs !== null
          ? '–'
          : `${fmt(r.rejoins)} rejoins, ${fmt(r.wrongAfterRepair)} wrong, ${ms(r.repairedMs)}`,
      ]),
    ],
    extra: [
      "Auth requests arriving at the app instances per 100 ms, from the first one after the restart (each character one 100 ms slot, its height relative to the row's peak, `·` none), and the same counts summed per second:",
      '',
      [
        ['client', 'per-100 ms histogram', 'requests per second'],
        ...results.map((r) => [
          label[r.mode],
          `\`${sparkline(r.histogram)}\``,
          perSecond(r.histogram).join(' '),
        ]),
      ],
      ...results.flatMap((r) =>
        r.errors.length
          ? [
              `Errors seen by ${label[r.mode]}: ${r.errors.slice(0, 5).join('; ')}${r.errors.length > 5 ? ` (and ${r.errors.length - 5} more)` : ''}.`,
            ]
          : [],
      ),
    ],
    goals: [
      {
        name: 'reconnect storm: fewer auth requests than pusher-js default',
        target: '≤ 1/5 of the requests (6 channels per client)',
        measured: `${fmt(ours.requests)} vs ${fmt(theirs.requests)} (${(theirs.requests / Math.max(1, ours.requests)).toFixed(1)}× fewer)`,
        met: ours.requests * 5 <= theirs.requests,
      },
      {
        name: 'reconnect storm: every member store matches soketi',
        target: 'all stores, without repair',
        measured:
          ours.convergedMs === null
            ? `${fmt(ours.wrongStores)} stores wrong; after the repair ${fmt(ours.wrongAfterRepair)} (${ms(ours.repairedMs)})`
            : `after ${ms(ours.convergedMs)}`,
        met: ours.convergedMs !== null,
        ...(ours.convergedMs === null
          ? {
              note: `${ours.nodes === 2 ? "soketi's Redis adapter loses members when several clients join one presence channel at the same moment (see its section below); " : ''}pusher-js's default authorizer: ${theirs.convergedMs === null ? `${fmt(theirs.wrongStores)} stores wrong too` : `matched after ${ms(theirs.convergedMs)}`}`,
            }
          : {}),
      },
    ],
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { markdownTable } = await import('./report.js')
  const clients = Number(process.env.CLIENTS ?? 1000)
  const nodes = Number(process.env.NODES ?? 2) as 1 | 2
  const section = await benchStorm({ clients, nodes })
  process.stdout.write(`${section.method}\n\n${markdownTable(section.table)}\n\n`)
  for (const e of section.extra ?? [])
    process.stdout.write(`${typeof e === 'string' ? e : markdownTable(e)}\n\n`)
  process.stdout.write(`${JSON.stringify(section.goals, null, 1)}\n`)
}
