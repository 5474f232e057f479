import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ManagedProcess, startProcess } from '@presence/testing'

/** The example's directory (`examples/nextjs`). */
export const appDir = fileURLToPath(new URL('..', import.meta.url))

const require = createRequire(import.meta.url)

/** The `next` CLI of the example, run with the current Node. */
export const nextBin = require.resolve('next/dist/bin/next', { paths: [appDir] })

/** The repository's packages the app uses through their built `dist`. */
const packageDirs = ['server', 'client', 'react'].map((name) =>
  join(appDir, '../../packages', name),
)

/** What the production build depends on: the app and the packages' `dist`. */
const inputs = [appDir, ...packageDirs.map((dir) => join(dir, 'dist'))]
const skipped = new Set([
  'node_modules',
  '.next',
  '.next-lock',
  '.data',
  'e2e',
  'scripts',
  'src',
  '__screenshots__',
])

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  // files only: a directory's mtime moves when a colleague adds a test next to the sources
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (skipped.has(entry) || /\.(test\.tsx?|md|tsbuildinfo)$|^next-env\.d\.ts$/.test(entry))
      continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/**
 * Whether a package's `dist` is missing or older than its sources: the app
 * imports `@presence/*` as a user would, through the built entry points.
 */
function packagesStale(): string[] {
  return packageDirs.filter((dir) => {
    const builtAt = existsSync(join(dir, 'dist')) ? newestMtime(join(dir, 'dist')) : 0
    return builtAt === 0 || newestMtime(join(dir, 'src')) > builtAt
  })
}

/** Passes a build's stdout and stderr to `onOutput` as they arrive. */
function pipeOutput(build: ManagedProcess, onOutput?: (chunk: string) => void): void {
  if (!onOutput) return
  for (const stream of [build.child.stdout, build.child.stderr]) {
    stream?.on('data', (chunk: Buffer) => onOutput(chunk.toString()))
  }
}

/**
 * Builds the `@presence` packages the app uses (`pnpm build` in each) when
 * their `dist` is missing or older than their sources.
 * @param stale - the packages to build ({@link packagesStale}).
 * @param onOutput - receives the build's output as it arrives.
 * @returns whether a build ran.
 */
async function buildPackagesIfNeeded(
  stale: string[],
  onOutput?: (chunk: string) => void,
): Promise<boolean> {
  if (stale.length === 0) return false
  for (const dir of stale) {
    const tsup = require.resolve('tsup/dist/cli-default.js', { paths: [dir] })
    const build = startProcess(process.execPath, [tsup], { cwd: dir })
    pipeOutput(build, onOutput)
    const code = await build.exited
    if (code !== 0) throw new Error(`tsup failed in ${dir} (exit ${code}):\n${build.output()}`)
  }
  return true
}

/**
 * Whether `.next` is missing or older than any source file it was built from.
 * @param stale - the stale packages when already known; looked up otherwise.
 * @returns the reason to build, or `null` when the build is current.
 */
export function buildNeeded(stale?: string[]): string | null {
  const buildId = join(appDir, '.next', 'BUILD_ID')
  if (!existsSync(buildId)) return 'no production build yet'
  if ((stale ?? packagesStale()).length > 0)
    return 'the @presence packages changed since their last build'
  const builtAt = statSync(buildId).mtimeMs
  const newest = Math.max(...inputs.filter(existsSync).map(newestMtime))
  return newest > builtAt ? 'sources changed since the last build' : null
}

/**
 * Builds the @presence packages when stale, then runs `next build` (Turbopack) in the example and resolves once it succeeded.
 * @param onOutput - receives the build's output as it arrives.
 * @param stale - the stale packages when already known; looked up otherwise.
 */
export async function buildApp(
  onOutput?: (chunk: string) => void,
  stale: string[] = packagesStale(),
): Promise<void> {
  await buildPackagesIfNeeded(stale, onOutput)
  const build = startProcess(process.execPath, [nextBin, 'build'], {
    cwd: appDir,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  })
  pipeOutput(build, onOutput)
  const code = await build.exited
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${build.output()}`)
}

/**
 * Builds the app when {@link buildNeeded} says so.
 * @returns whether a build ran.
 */
export async function buildIfNeeded(onOutput?: (chunk: string) => void): Promise<boolean> {
  // one walk of the packages' sources serves both the check and the build
  const stale = packagesStale()
  if (buildNeeded(stale) === null) return false
  await buildApp(onOutput, stale)
  return true
}
