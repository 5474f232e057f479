/**
 * `pnpm outside-in`: the packages, examples and guides used from outside the monorepo, as a
 * stranger would. Needs `pnpm build` first; run by `.ci/run`.
 *
 * 1. `pnpm pack` the three public packages.
 * 2. Each example is copied to a temporary folder outside the workspace (without its tests and
 *    the monorepo-only dev scripts), its `@presence/*` dependencies pointed at the tarballs and
 *    its `catalog:` versions replaced by the catalog's ranges; `npm install`; built with its
 *    default toolchain (Next.js: `next build`, Turbopack); its `npm run smoke` run against a real
 *    soketi (and redis-server for the Express example).
 * 3. The getting-started guide, followed block by block in an empty folder (./src/guide-app.ts).
 * 4. Every public entry point bundled with esbuild, webpack and Turbopack in a project that has
 *    only the required dependencies installed (no optional peer, no `@auth/core`), then the
 *    Auth.js entry once `@auth/core` is added (./src/entry-bundles.ts).
 *
 * Prints each step with its duration; exits 1 on the first failure. `--keep` keeps the folder.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startRedis, startSoketi } from '@presence/testing'
import { bundleEntryPoints } from './src/entry-bundles.js'
import { runExample } from './src/example-app.js'
import { followGettingStarted } from './src/guide-app.js'
import {
  keepPrebuild,
  keepPrebuildsIn,
  type Packed,
  packAll,
  repoRoot,
  step,
} from './src/outside.js'

const keep = process.argv.includes('--keep')
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length)
const wanted = (name: string) => !only || only.split(',').includes(name)
const work = mkdtempSync(join(tmpdir(), 'presence-outside-in-'))
const started = Date.now()
console.log(`outside-in: working in ${work} (outside the workspace)`)
keepPrebuildsIn(join(work, 'prebuilds'))
const workspaceSqlite = dirname(
  createRequire(join(repoRoot, 'examples/express/package.json')).resolve(
    'better-sqlite3/package.json',
  ),
)
await keepPrebuild(workspaceSqlite)

const soketi = await startSoketi()
const redis = await startRedis()
let failed = false
try {
  const tarballs = join(work, 'tarballs')
  mkdirSync(tarballs)
  const packed: Packed = await step('pnpm pack the public packages', () => packAll(tarballs))
  const services = { soketi, redis }
  for (const example of ['nextjs', 'express', 'chrome-extension']) {
    if (wanted(example)) await runExample(example, { work, packed, services })
  }
  if (wanted('getting-started')) await followGettingStarted({ work, packed, services })
  if (wanted('bundles')) await bundleEntryPoints({ work, packed })
} catch (error) {
  failed = true
  console.log(`FAIL ${error instanceof Error ? error.message : String(error)}`)
} finally {
  await soketi.stop()
  await redis.stop()
  if (keep) console.log(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
const took = ((Date.now() - started) / 1000).toFixed(0)
console.log(`outside-in: ${failed ? 'FAILED' : 'passed'} after ${took} s`)
process.exit(failed ? 1 : 0)
