/**
 * Signing throughput on every runtime of the conformance suite, in one run:
 * each runtime runs alternated rounds of `signChannel` and of a raw HMAC on
 * its own crypto (see `runtimes-cases.ts`), so each ratio compares two figures
 * measured side by side on the same runtime. Script runtimes time
 * themselves; workerd is timed from outside, per request, minus the median
 * round trip of an empty request. The runtimes, the bundler and workerd's
 * launcher are the conformance suite's (`@presence/conformance`).
 * @module
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundle } from '@presence/conformance/bundle'
import { binaryPath, RUNTIMES, type Runtime, runtimeVersion } from '@presence/conformance/runtimes'
import { startWorkerd } from '@presence/conformance/workerd'

/** Median ops/s per case on one runtime (each case measured `rounds - 1` times). */
export interface RuntimeBench {
  runtime: string
  version: string
  opsPerSecond: Record<string, number>
}

/** How much to measure. */
export interface BenchOptions {
  /** Rounds, the first one a warm-up. @default 7 */
  rounds?: number
  /** Signatures per case per round. @default 20000 */
  iterations?: number
  /** Runtime names. @default every runtime of the suite */
  runtimes?: string[]
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function runScript(
  binary: string,
  args: string[],
  file: string,
): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args, file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.stderr.on('data', (chunk) => {
      out += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '))
      if (code !== 0 || !line) reject(new Error(`bench exited ${code}:\n${out.slice(-2000)}`))
      else resolve(JSON.parse(line.slice('BENCH_RESULT '.length)))
    })
  })
}

async function runWorker(
  binary: string,
  flags: string[],
  file: string,
  rounds: number,
  iterations: number,
): Promise<Record<string, number[]>> {
  const server = await startWorkerd(binary, file, flags)
  try {
    const names = (await (await fetch(`${server.url}/cases`)).json()) as string[]
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
    const overhead: number[] = []
    for (let round = 0; round < rounds; round++) {
      for (const name of names) {
        let started = performance.now()
        await (await fetch(`${server.url}/cases`)).arrayBuffer()
        overhead.push(performance.now() - started)
        started = performance.now()
        const response = await fetch(
          `${server.url}/bench?case=${encodeURIComponent(name)}&n=${iterations}`,
        )
        await response.arrayBuffer()
        const ms = performance.now() - started - median(overhead)
        if (round > 0) samples[name]!.push((iterations / ms) * 1000)
      }
    }
    return samples
  } finally {
    await server.stop()
  }
}

async function benchOne(runtime: Runtime, dir: string, rounds: number, iterations: number) {
  const binary = binaryPath(runtime)
  const version = runtimeVersion(runtime, binary)
  const file = join(dir, `bench-${runtime.name}.js`)
  await bundle({
    entry: new URL(
      runtime.kind === 'script' ? './runtimes-entry.ts' : './runtimes-worker.ts',
      import.meta.url,
    ),
    platform: runtime.kind === 'script' ? 'node' : 'workerd',
    define: { __BENCH__: { rounds, iterations } },
    outfile: file,
  })
  const samples =
    runtime.kind === 'script'
      ? await runScript(binary, runtime.args, file)
      : await runWorker(binary, runtime.args, file, rounds, iterations)
  const opsPerSecond = Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, median(values)]),
  )
  return { runtime: runtime.name, version, opsPerSecond }
}

/**
 * Measures every runtime, one after the other.
 * @param options - rounds, iterations, runtimes.
 * @returns one entry per runtime.
 */
export async function benchRuntimes(options: BenchOptions = {}): Promise<RuntimeBench[]> {
  const rounds = options.rounds ?? 7
  const iterations = options.iterations ?? 20_000
  const selected = options.runtimes
    ? RUNTIMES.filter((r) => options.runtimes!.includes(r.name))
    : RUNTIMES
  const dir = mkdtempSync(join(tmpdir(), 'presence-bench-'))
  try {
    const results: RuntimeBench[] = []
    for (const runtime of selected) {
      process.stderr.write(`bench: signing on ${runtime.name}…\n`)
      results.push(await benchOne(runtime, dir, rounds, iterations))
    }
    return results
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
