/**
 * Bundle size of `@presence/client` (not a test): each entry bundled by
 * esbuild, minified, `pusher-js` external, `process.env.NODE_ENV` defined as
 * `"production"` (what an app's production build does: the development-only
 * error prose is dropped), then gzipped (level 9). Measures
 * `pusher-js-auth` the same way, in the same run, as the reference point,
 * and `bench/size-floor.ts` (the client golfed for size, see there) with its
 * O(1) persistent member map and with a copy of the map per event.
 *
 * Run: `pnpm --filter @presence/client bench:size`
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const BUDGET = 2.5 * 1024
const require = createRequire(import.meta.url)
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

async function size(entry: string, define: Record<string, string> = {}) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['pusher-js'],
    define: { 'process.env.NODE_ENV': '"production"', ...define },
    write: false,
  })
  const code = out.outputFiles[0]?.contents ?? new Uint8Array()
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length }
}

const rows: [string, { min: number; gz: number }][] = [
  ['@presence/client', await size(here('../src/index.ts'))],
  ['@presence/client/core', await size(here('../src/core.ts'))],
  ['pusher-js-auth 4 (reference)', await size(require.resolve('pusher-js-auth'))],
  ['size floor, O(1) member map', await size(here('size-floor.ts'), { COPY_MAP: 'false' })],
  ['size floor, map copied per event', await size(here('size-floor.ts'), { COPY_MAP: 'true' })],
]
const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
console.log(
  '| bundle (esbuild --minify, NODE_ENV=production, pusher-js external) | minified | gzip -9 |',
)
console.log('|---|---:|---:|')
for (const [name, s] of rows) console.log(`| ${name} | ${kb(s.min)} | ${kb(s.gz)} |`)
const main = rows[0]?.[1].gz ?? 0
console.log(
  `budget ${kb(BUDGET)} gz: ${main <= BUDGET ? 'within' : 'OVER'} (${((main / BUDGET) * 100).toFixed(0)}%)`,
)
if (main > BUDGET) process.exitCode = 1
