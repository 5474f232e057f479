/**
 * HTTP: our Node and Express adapters vs hand-written plain-`http` and
 * Express routes using `pusher`, with autocannon on the same machine,
 * alternated runs. Each server runs in its own process.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { fmt, median, type Section } from './report.js'
import { fmtSpread, spread } from './stats.js'

const serverFile = fileURLToPath(new URL('./http-server.ts', import.meta.url))
/** The CPU profile before and after the request path's reshape: recorded, not re-measured. */
const profileFile = new URL('./http-profile.md', import.meta.url)

async function startServer(kind: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', serverFile, kind],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  )
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited ${code}`)))
    child.stdout?.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString())
      if (m) resolve(Number(m[1]))
    })
  })
  return {
    port,
    /** The server process's CPU time so far, in µs. */
    cpu: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m: { cpuMicros: number }) => resolve(m.cpuMicros))
        child.send('cpu')
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

async function load(server: { port: number; cpu(): Promise<number> }, seconds: number) {
  const port = server.port
  const cpuBefore = await server.cpu()
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
  const cpuMicros = (await server.cpu()) - cpuBefore
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuPerRequest: cpuMicros / result.requests.total,
  }
}

/**
 * Each round loads both servers of a pair back to back (order alternated), so
 * the per-round ratio compares two runs taken under the same background load.
 * Two ratios per pair: req/s (what a user sees, but on a shared machine it
 * moves with every other process) and CPU time per request of the server
 * process (what the adapter costs; other processes barely move it). The goals
 * use the CPU ratio, as a throughput ratio (plain CPU per request / ours).
 */
export async function benchHttp(rounds = 12, seconds = 3): Promise<Section> {
  const pairs = [
    ['presence-node', 'pusher-node'],
    ['presence-express', 'pusher-express'],
  ] as const
  const results: Record<string, { rps: number[]; p99: number[]; cpu: number[] }> = {}
  for (const pair of pairs) {
    const servers = await Promise.all(pair.map(startServer))
    try {
      for (const [i] of pair.entries()) await load(servers[i]!, 1) // warm-up
      for (let r = 0; r < rounds; r++) {
        // alternate the order each round so drift hits both sides
        const order = r % 2 === 0 ? [0, 1] : [1, 0]
        for (const i of order) {
          const kind = pair[i]!
          const { rps, p99, cpuPerRequest } = await load(servers[i]!, seconds)
          results[kind] ??= { rps: [], p99: [], cpu: [] }
          results[kind].rps.push(rps)
          results[kind].p99.push(p99)
          results[kind].cpu.push(cpuPerRequest)
        }
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()))
    }
  }
  const p99 = (k: string) => median(results[k]!.p99)
  /** Per-round ratios of ours to theirs: req/s, and CPU per request inverted (throughput-like). */
  const perRound = (a: string, b: string) => ({
    rps: spread(results[a]!.rps.map((v, i) => v / results[b]!.rps[i]!)),
    cpu: spread(results[b]!.cpu.map((v, i) => v / results[a]!.cpu[i]!)),
  })
  const node = perRound('presence-node', 'pusher-node')
  const express = perRound('presence-express', 'pusher-express')
  const nodeRatio = node.cpu.median
  const expressRatio = express.cpu.median
  const both = (r: ReturnType<typeof perRound>) =>
    `${r.cpu.median.toFixed(2)}× by CPU per request (per-round IQR ${r.cpu.q1.toFixed(2)}–${r.cpu.q3.toFixed(2)}); by req/s ${r.rps.median.toFixed(2)}× (IQR ${r.rps.q1.toFixed(2)}–${r.rps.q3.toFixed(2)})`
  const label: Record<string, string> = {
    'presence-node': '`toNodeHandler(handlers.auth)`',
    'pusher-node': 'hand-written `http` route + `pusher`',
    'presence-express': '`toExpress(handlers.auth)`',
    'pusher-express': 'hand-written Express route + `pusher`',
  }
  return {
    title: 'HTTP adapters vs hand-written routes',
    command: 'pnpm bench --only http',
    method: `autocannon, 10 connections, ${seconds} s per run, ${rounds} rounds per pair after a 1 s warm-up, each round running both servers of a pair back to back in alternated order, each server in its own process; POST form \`socket_id, channel_name\` with a Bearer session, same authorization rule and signature on every side. req/s and the server process's CPU time per request (µs, read from the process around each run): median and interquartile range (IQR) of the runs. The goals compare CPU per request (theirs / ours, so > 1 means ours is cheaper), the median of the per-round ratios: unlike req/s, it barely moves when other processes compete for the CPU.`,
    table: [
      [
        'server',
        'req/s (median, IQR)',
        'CPU per request, µs (median, IQR)',
        'p99 latency, ms (median)',
      ],
      ...Object.keys(label).map((k) => [
        label[k]!,
        fmtSpread(spread(results[k]!.rps), 0),
        fmtSpread(spread(results[k]!.cpu), 1),
        fmt(p99(k)),
      ]),
    ],
    extra: [readFileSync(profileFile, 'utf8').trimEnd()],
    goals: [
      {
        name: 'Node adapter vs plain `http` route',
        target: '≥ 0.9×',
        measured: both(node),
        met: nodeRatio >= 0.9,
        ...(nodeRatio < 0.9
          ? {
              note: `the adapter's server process spends ${fmt(median(results['presence-node']!.cpu), 1)} µs of CPU per request, the plain route's ${fmt(median(results['pusher-node']!.cpu), 1)} µs (per-round ratios ${node.cpu.q1.toFixed(2)}–${node.cpu.q3.toFixed(2)}, IQR); req/s hides part of it on a 2-core machine, where the load generator shares the CPU`,
            }
          : {}),
      },
      {
        name: 'Express adapter vs Express route',
        target: '≥ 1.0×',
        measured: both(express),
        met: expressRatio >= 1,
        ...(expressRatio < 1
          ? {
              note: `below 1.0×; the per-round CPU ratios spread ${express.cpu.q1.toFixed(2)}–${express.cpu.q3.toFixed(2)} (IQR)`,
            }
          : {}),
      },
    ],
  }
}
