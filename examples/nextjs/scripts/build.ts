import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startProcess } from '@presence/testing'

/** The example's directory (`examples/nextjs`). */
export const appDir = fileURLToPath(new URL('..', import.meta.url))

const require = createRequire(import.meta.url)

/** The `next` CLI of the example, run with the current Node. */
export const nextBin = require.resolve('next/dist/bin/next', { paths: [appDir] })

/** What the production build depends on: the app and the sources of the @presence packages. */
const inputs = [
  appDir,
  join(appDir, '../../packages/server/src'),
  join(appDir, '../../packages/client/src'),
  join(appDir, '../../packages/react/src'),
]
const skipped = new Set([
  'node_modules',
  '.next',
  '.next-lock',
  '.data',
  'e2e',
  'scripts',
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
 * Whether `.next` is missing or older than any source file it was built from.
 * @returns the reason to build, or `null` when the build is current.
 */
export function buildNeeded(): string | null {
  const buildId = join(appDir, '.next', 'BUILD_ID')
  if (!existsSync(buildId)) return 'no production build yet'
  const builtAt = statSync(buildId).mtimeMs
  const newest = Math.max(...inputs.filter(existsSync).map(newestMtime))
  return newest > builtAt ? 'sources changed since the last build' : null
}

/**
 * Runs `next build --webpack` in the example and resolves once it succeeded.
 * @param onOutput - receives the build's output as it arrives.
 */
export async function buildApp(onOutput?: (chunk: string) => void): Promise<void> {
  const build = startProcess(process.execPath, [nextBin, 'build', '--webpack'], {
    cwd: appDir,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
  })
  if (onOutput) {
    build.child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString()))
    build.child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString()))
  }
  const code = await build.exited
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${build.output()}`)
}

/**
 * Builds the app when {@link buildNeeded} says so.
 * @returns whether a build ran.
 */
export async function buildIfNeeded(onOutput?: (chunk: string) => void): Promise<boolean> {
  if (buildNeeded() === null) return false
  await buildApp(onOutput)
  return true
}
