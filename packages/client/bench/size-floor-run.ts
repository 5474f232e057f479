/**
 * Bundles `bench/size-floor.ts` (a size-golfed copy of the client, see there)
 * exactly as `bench/bundle-size.ts` bundles the package, twice: with the O(1)
 * persistent member map, and with a copy of the map per event.
 *
 * Run: `pnpm --filter @presence/client bench:size-floor`
 */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const entry = fileURLToPath(new URL('./size-floor.ts', import.meta.url))

async function gz(copyMap: boolean): Promise<number> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['pusher-js'],
    define: { 'process.env.NODE_ENV': '"production"', COPY_MAP: String(copyMap) },
    write: false,
  })
  return gzipSync(out.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length
}

console.log(`golfed client, O(1) persistent member map: ${await gz(false)} B gz`)
console.log(`golfed client, a copy of the map per event: ${await gz(true)} B gz`)
console.log('budget: 2560 B gz')
