/**
 * Load and soak: autocannon against the Express example's
 * single and batch routes, the app in its own process with a real
 * redis-server; zero errors required, p99 reported, and the app's RSS growth
 * between the first and last 10 s of the run under 10 % (the full run only: in
 * 12 s the heap is still growing to its working size, so the short run reports
 * the growth and gates only on errors).
 *
 *   pnpm --filter @presence/reliability soak              # 60 s (the full run)
 *   pnpm --filter @presence/reliability soak -- --short   # 12 s, what .ci/run uses
 *
 * Exits non-zero when a goal is missed. Not part of the test suite.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { getFreePort, startProcess, startRedis, waitFor } from '@presence/testing'
import autocannon from 'autocannon'

const short = process.argv.includes('--short')
const seconds = short ? 12 : 60
const WINDOW = short ? 3 : 10
const WARMUP = short ? 5 : 10
const main = fileURLToPath(new URL('../../../examples/express/src/main.ts', import.meta.url))

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)
  return kb ? Number(kb[1]) * 1024 : Number.NaN
}

const redis = await startRedis()
const port = await getFreePort()
// Demo mode (the demo accounts it sends as): no NODE_ENV=production, which refuses demo mode;
// the answers carry no debug traces either way (debug is on only for NODE_ENV=development).
const app = startProcess(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', main, '--demo'],
  {
    env: {
      PORT: String(port),
      REDIS_URL: redis.url,
      INSTANCE_NAME: 'soak',
      PUSHER_APP_ID: 'soak',
      PUSHER_KEY: 'soak-key',
      PUSHER_SECRET: 'soak-secret',
    },
  },
)
let failed = false
try {
  const base = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, {
    what: 'example app',
    timeoutMs: 60_000,
  })
  const pid = await app.commandPid
  const batchChannels = [
    'private-stream@42',
    'presence-order@1001',
    'private-user@2',
    'private-feed@7',
    'private-goal@3',
  ]
  const headers = { authorization: 'Bearer token-bob', 'x-client-id': 'soak' }
  const run = (title: string, opts: autocannon.Options) =>
    autocannon({ connections: 10, ...opts, url: `${base}${opts.url}`, title })
  const singleOpts = {
    url: '/pusher/auth',
    method: 'POST' as const,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=123.456&channel_name=private-stream@42',
  }
  const batchOpts = {
    url: '/pusher/batch-authenticate',
    method: 'POST' as const,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ socket_id: '123.456', channels: batchChannels }),
  }
  // Warm-up (not measured): module loading, JIT and connection pools settle first.
  await Promise.all([
    run('warm-up', { ...singleOpts, duration: WARMUP }),
    run('warm-up', { ...batchOpts, duration: WARMUP }),
  ])
  const samples: Array<{ t: number; rss: number }> = []
  const started = Date.now()
  const sampler = setInterval(
    () => samples.push({ t: (Date.now() - started) / 1000, rss: rssOf(pid) }),
    500,
  )
  // both routes for the whole run, in parallel
  const [single, batch] = await Promise.all([
    run('single', { ...singleOpts, duration: seconds }),
    run('batch', { ...batchOpts, duration: seconds }),
  ])
  clearInterval(sampler)
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const first = avg(samples.filter((s) => s.t <= WINDOW).map((s) => s.rss))
  const last = avg(samples.filter((s) => s.t >= seconds - WINDOW).map((s) => s.rss))
  const growth = (last - first) / first
  const line = (name: string, r: autocannon.Result) => {
    const errors = r.errors + r.non2xx + r.timeouts
    if (errors > 0) failed = true
    return `${name}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.total} requests, errors ${errors} (non-2xx ${r.non2xx}, timeouts ${r.timeouts})`
  }
  console.log(
    `soak: ${seconds} s after a ${WARMUP} s warm-up, single and batch (${batchChannels.length} channels) routes in parallel, 10 connections each, app pid ${pid}`,
  )
  console.log(line('single POST /pusher/auth', single))
  console.log(line('batch  POST /pusher/batch-authenticate', batch))
  console.log(
    `RSS first ${WINDOW} s: ${(first / 2 ** 20).toFixed(1)} MiB, last ${WINDOW} s: ${(last / 2 ** 20).toFixed(1)} MiB, growth ${(growth * 100).toFixed(1)} % (goal < 10 %${short ? ', gated by the full 60 s run only' : ''})`,
  )
  if (!short && !(growth < 0.1)) failed = true
} finally {
  await app.stop()
  await redis.stop()
}
console.log(failed ? 'soak: FAILED' : 'soak: ok')
process.exit(failed ? 1 : 0)
