/**
 * HTTP: our Node and Express adapters vs hand-written plain-`http` and
 * Express routes using `pusher`, with autocannon on the same machine,
 * alternated runs. Each server runs in its own process.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { fmt, median, type Section } from './report.js'

const serverFile = fileURLToPath(new URL('./http-server.ts', import.meta.url))

async function startServer(kind: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', serverFile, kind],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited ${code}`)))
    child.stdout.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString())
      if (m) resolve(Number(m[1]))
    })
  })
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

async function load(port: number, seconds: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/auth`,
    method: 'POST',
    connections: 10,
    duration: seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer ada' },
    body: 'socket_id=1234.5678&channel_name=private-doc-ada-42',
  })
  if (result.non2xx || result.errors)
    throw new Error(
      `load against :${port} had ${result.non2xx} non-2xx and ${result.errors} errors`,
    )
  return { rps: result.requests.average, p99: result.latency.p99 }
}

export async function benchHttp(rounds = 3, seconds = 5): Promise<Section> {
  const pairs = [
    ['presence-node', 'pusher-node'],
    ['presence-express', 'pusher-express'],
  ] as const
  const results: Record<string, { rps: number[]; p99: number[] }> = {}
  for (const pair of pairs) {
    const servers = await Promise.all(pair.map(startServer))
    try {
      for (const [i] of pair.entries()) await load(servers[i]!.port, 1) // warm-up
      for (let r = 0; r < rounds; r++) {
        // alternate the order each round so drift hits both sides
        const order = r % 2 === 0 ? [0, 1] : [1, 0]
        for (const i of order) {
          const kind = pair[i]!
          const { rps, p99 } = await load(servers[i]!.port, seconds)
          results[kind] ??= { rps: [], p99: [] }
          results[kind].rps.push(rps)
          results[kind].p99.push(p99)
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()))
    }
  }
  const rps = (k: string) => median(results[k]!.rps)
  const p99 = (k: string) => median(results[k]!.p99)
  const nodeRatio = rps('presence-node') / rps('pusher-node')
  const expressRatio = rps('presence-express') / rps('pusher-express')
  const label: Record<string, string> = {
    'presence-node': '`toNodeHandler(handlers.auth)`',
    'pusher-node': 'hand-written `http` route + `pusher`',
    'presence-express': '`toExpress(handlers.auth)`',
    'pusher-express': 'hand-written Express route + `pusher`',
  }
  return {
    title: 'HTTP adapters vs hand-written routes',
    command: 'pnpm bench --only http',
    method: `autocannon, 10 connections, ${seconds} s per run, ${rounds} alternated runs per server after a 1 s warm-up, each server in its own process; POST form \`socket_id, channel_name\` with a Bearer session, same authorization rule and signature on every side. Median of runs.`,
    table: [
      ['server', 'req/s (median)', 'p99 latency (ms)'],
      ...Object.keys(label).map((k) => [label[k]!, fmt(rps(k)), fmt(p99(k))]),
    ],
    goals: [
      {
        name: 'Node adapter vs plain `http` route',
        target: '≥ 0.9×',
        measured: `${nodeRatio.toFixed(2)}×`,
        met: nodeRatio >= 0.9,
      },
      {
        name: 'Express adapter vs Express route',
        target: '≥ 1.0× (goal), ≥ 0.9× (floor)',
        measured: `${expressRatio.toFixed(2)}×`,
        met: expressRatio >= 0.9,
        ...(expressRatio < 1 ? { note: 'below the 1.0× goal' } : {}),
      },
    ],
  }
}
