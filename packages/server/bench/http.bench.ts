/**
 * Benchmark (not a test): throughput of the Node and Express adapters against
 * hand-written routes doing the same work, each server in its own process,
 * loaded by autocannon in alternated rounds.
 *
 * Three figures per server: wall-clock requests/s (what autocannon saw), and
 * requests per CPU-second of the server process, counting user time only and
 * user + system time. CPU time is stable on a shared, loaded machine where
 * wall-clock rates are not. System time on loopback also holds the kernel's
 * delivery to the load generator (the receive path runs in the sender's
 * write syscall), which varies with the generator's state, so user time is
 * the cleanest measure of the code under test; all three are printed.
 *
 * Run: pnpm --filter @presence/server bench:http   (ROUNDS, AMOUNT, CONNECTIONS to tune)
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { build } from 'esbuild'

const ROUNDS = Number(process.env.ROUNDS ?? 4)
const AMOUNT = Number(process.env.AMOUNT ?? 20_000)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16)
// The servers run as an esbuild bundle of the sources, like a production build
// (tsx's on-the-fly transform wraps every closure in a keepNames helper, which
// would tax the closure-heavy code under test and not the hand-written routes).
const cacheDir = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url))
mkdirSync(cacheDir, { recursive: true })
const outDir = mkdtempSync(join(cacheDir, 'presence-bench-'))
const serverFile = join(outDir, 'http-server.mjs')
await build({
  entryPoints: [fileURLToPath(new URL('./http-server.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  packages: 'external',
  outfile: serverFile,
  logLevel: 'warning',
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function start(kind: string) {
  const port = await freePort()
  const child = spawn(process.execPath, [serverFile, kind, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)))
  })
  return { kind, url: `http://127.0.0.1:${port}/auth`, stop: () => child.kill('SIGTERM') }
}

async function cpu(url: string): Promise<{ user: number; total: number }> {
  const text = await (await fetch(url.replace('/auth', '/__cpu'))).text()
  const [user, system] = text.split(' ').map(Number)
  return { user: user!, total: user! + system! }
}

interface Sample {
  wall: number
  perCpuSecond: number
  perUserCpuSecond: number
}

async function measure(url: string, amount: number): Promise<Sample> {
  const before = await cpu(url)
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    amount,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Bearer user-42',
    },
    body: 'socket_id=1234.5678&channel_name=private-stream%4042',
  })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  const after = await cpu(url)
  return {
    wall: result.requests.average,
    perCpuSecond: (result.requests.total / (after.total - before.total)) * 1e6,
    perUserCpuSecond: (result.requests.total / (after.user - before.user)) * 1e6,
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const pairs = [
  ['node-adapter', 'node-hand'],
  ['express-adapter', 'express-hand'],
] as const

const servers = new Map<string, Awaited<ReturnType<typeof start>>>()
try {
  for (const kind of pairs.flat()) servers.set(kind, await start(kind))
  for (const [adapter, hand] of pairs) {
    const samples: Record<string, Sample[]> = { [adapter]: [], [hand]: [] }
    for (const kind of [adapter, hand]) await measure(servers.get(kind)!.url, 2000) // warm up
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [adapter, hand] : [hand, adapter]
      for (const kind of order) samples[kind]!.push(await measure(servers.get(kind)!.url, AMOUNT))
    }
    const stat = (kind: string, key: keyof Sample) =>
      median(samples[kind]!.map((sample) => sample[key]))
    console.log(
      `\n${adapter} vs ${hand} (${ROUNDS} alternated rounds × ${AMOUNT} requests, ${CONNECTIONS} connections, medians)`,
    )
    for (const kind of [adapter, hand]) {
      console.log(
        `  ${kind.padEnd(16)} ${Math.round(stat(kind, 'perUserCpuSecond')).toLocaleString('en')} req per user-CPU-second, ${Math.round(stat(kind, 'perCpuSecond')).toLocaleString('en')} per CPU-second (user+system), wall ${Math.round(stat(kind, 'wall')).toLocaleString('en')} req/s`,
      )
    }
    const ratio = (key: keyof Sample) => (stat(adapter, key) / stat(hand, key)).toFixed(3)
    console.log(`  ratio, req per user-CPU-second:         ${ratio('perUserCpuSecond')}×`)
    console.log(`  ratio, req per CPU-second (user+system): ${ratio('perCpuSecond')}×`)
    console.log(`  ratio, wall req/s (noisy):               ${ratio('wall')}×`)
  }
} finally {
  for (const server of servers.values()) server.stop()
  rmSync(outDir, { recursive: true, force: true })
}
