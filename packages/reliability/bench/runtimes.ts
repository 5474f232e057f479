/**
 * Signing throughput per runtime (Node 20/22/24, Bun, Deno, workerd with and
 * without `nodejs_compat`), side by side in one run: each runtime measures
 * `signChannel` and a raw HMAC on its own crypto in alternated rounds, and
 * the ratio compares the two on that runtime. The runtimes come from the
 * npm registry with their binaries (pinned in packages/conformance, whose
 * harness runs them).
 */
import { fmt, type Section } from './report.js'
import { benchRuntimes } from './runtimes-run.js'

export async function benchSigningRuntimes(rounds = 7, iterations = 20_000): Promise<Section> {
  const results = await benchRuntimes({ rounds, iterations })
  const rows: string[][] = []
  for (const r of results) {
    const ops = r.opsPerSecond
    for (const engine of ['node', 'web'] as const) {
      const raw = ops[engine === 'node' ? 'raw node:crypto' : 'raw Web Crypto']
      const signed = ops[`signChannel (${engine})`]
      if (raw === undefined || signed === undefined) continue
      rows.push([
        `${r.runtime} ${r.version}`,
        engine === 'node' ? 'node:crypto (sync)' : 'Web Crypto (async)',
        fmt(raw),
        fmt(signed),
        `${(raw / signed).toFixed(2)}×`,
      ])
    }
  }
  return {
    title: 'Signing throughput per runtime',
    command: 'pnpm bench --only runtimes',
    method: `On each runtime, ${rounds - 1} alternated rounds of ${fmt(iterations)} presence-channel signatures (after one warm-up round), median ops/s: \`signChannel\` with the engine named, and a raw HMAC-SHA256 of the same string on that runtime's own crypto (no validation). The last column is \`signChannel\`'s time per signature over the raw one's, both measured on that runtime in this run. workerd is timed from outside, per request, minus the round trip of an empty request (inside a Worker the clock only moves on I/O). Bun, Deno and workerd run esbuild bundles of the sources.`,
    table: [['runtime', 'engine', 'raw HMAC ops/s', 'signChannel ops/s', 'time vs raw'], ...rows],
    goals: [],
  }
}
