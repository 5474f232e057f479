/**
 * The signing benchmark for script runtimes: alternated rounds of every case
 * this runtime has, timed in-process, one JSON line with the median ops/s.
 * @module
 */
import { benchCases } from './runtimes-cases.js'

declare const __BENCH__: { rounds: number; iterations: number }

const cases = await benchCases()
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
for (let round = 0; round < __BENCH__.rounds; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const started = performance.now()
    await run(__BENCH__.iterations)
    const ms = performance.now() - started
    if (round > 0) samples[name]!.push((__BENCH__.iterations / ms) * 1000) // round 0 warms up
  }
}
console.log(`BENCH_RESULT ${JSON.stringify(samples)}`)
