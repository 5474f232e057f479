/**
 * `pnpm --filter @presence/reliability bench:runtimes [runtime...]`: prints
 * the signing throughput table (the same section `pnpm bench` writes).
 * @module
 */
import { benchRuntimes } from './runtimes-run.js'

const names = process.argv.slice(2)
const results = await benchRuntimes(names.length > 0 ? { runtimes: names } : {})
for (const r of results) {
  const ops = Object.entries(r.opsPerSecond)
    .map(([name, value]) => `${name} ${Math.round(value).toLocaleString('en-US')}`)
    .join(', ')
  console.log(`${r.runtime} ${r.version}: ${ops}`)
}
