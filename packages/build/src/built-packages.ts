import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The published packages' `dist`, built before any test that needs it.
 *
 * A few tests use the packages as apps outside the repository do, through their built entry
 * points: the Chrome extension's bundle (esbuild), the Next.js example (`next build`). On a fresh
 * clone there is no `dist`, so the test suite builds what is missing or stale once, before any
 * test (vitest's `globalSetup`, see {@link setup}), whatever order vitest then picks.
 * @module
 */

/** Repository root (two levels above packages/build/src). */
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')

/** A workspace package with a `build` script. */
export interface BuildablePackage {
  /** Absolute folder of the package. */
  dir: string
  /** `name` of its package.json. */
  name: string
  /** Its package.json. */
  manifest: PackageManifest
}

/** The package.json fields read here. */
interface PackageManifest {
  name: string
  scripts?: Record<string, string>
  exports?: unknown
  main?: string
  types?: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/** Files of `src/` that do not end up in `dist`: tests and type tests. */
const NOT_BUILT = /\.(test|test-d|integration\.test|bench)\.tsx?$|\.md$/

/** Files beside `src/` that change what the build writes. */
const BUILD_INPUTS = ['package.json', 'tsup.config.ts', 'tsconfig.json']

/** The shared tsup configuration every package builds with. */
const SHARED_INPUTS = [
  join(repoRoot, 'packages/build/tsup.ts'),
  join(repoRoot, 'tsconfig.base.json'),
]

/**
 * The packages under `packages/` with a `build` script, in build order: a package comes after
 * the workspace packages it depends on (`@presence/react` after `@presence/client`).
 * @param root - the repository root.
 */
export function buildablePackages(root = repoRoot): BuildablePackage[] {
  const base = join(root, 'packages')
  const all = readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name)
      const manifest = JSON.parse(
        readFileSync(join(dir, 'package.json'), 'utf8'),
      ) as PackageManifest
      return { dir, name: manifest.name, manifest }
    })
    .filter((pkg) => pkg.manifest.scripts?.build)
    .sort((a, b) => a.name.localeCompare(b.name))
  const ordered: BuildablePackage[] = []
  const visit = (pkg: BuildablePackage, path: string[]) => {
    if (ordered.includes(pkg) || path.includes(pkg.name)) return
    const { dependencies, devDependencies, peerDependencies } = pkg.manifest
    const deps = Object.keys({ ...dependencies, ...devDependencies, ...peerDependencies })
    for (const dep of all.filter((other) => deps.includes(other.name))) {
      visit(dep, [...path, pkg.name])
    }
    ordered.push(pkg)
  }
  for (const pkg of all) visit(pkg, [])
  return ordered
}

/** Every `./dist/…` file the package.json points to (`exports`, `main`, `types`). */
function entryFiles(manifest: PackageManifest): string[] {
  const files = new Set<string>()
  const collect = (value: unknown) => {
    if (typeof value === 'string') {
      if (value.startsWith('./dist/') || value.startsWith('dist/')) files.add(value)
    } else if (value && typeof value === 'object') {
      for (const inner of Object.values(value)) collect(inner)
    }
  }
  collect([manifest.exports, manifest.main, manifest.types])
  return [...files]
}

/** Modification times of the files under `path` (files only, skipping `skip`). */
function fileTimes(path: string, skip?: RegExp): number[] {
  if (!existsSync(path)) return []
  const stat = statSync(path)
  if (!stat.isDirectory()) return [stat.mtimeMs]
  return readdirSync(path).flatMap((entry) =>
    skip?.test(entry) ? [] : fileTimes(join(path, entry), skip),
  )
}

/**
 * Why a package's `dist` must be built, or `null` when it is current: `dist` is missing, an
 * entry point of its package.json is missing (e.g. a build that failed half-way), or a source
 * file (`src/` without tests, its package.json, tsup and TypeScript configuration) is newer
 * than the oldest file of `dist` (a build rewrites all of `dist`).
 * @param pkg - the package, from {@link buildablePackages}.
 */
export function staleReason(pkg: Pick<BuildablePackage, 'dir' | 'manifest'>): string | null {
  const dist = join(pkg.dir, 'dist')
  const built = fileTimes(dist)
  if (built.length === 0) return 'no dist yet'
  const missing = entryFiles(pkg.manifest).filter((file) => !existsSync(join(pkg.dir, file)))
  if (missing.length > 0) return `${missing.join(', ')} missing`
  const inputs = [
    ...fileTimes(join(pkg.dir, 'src'), NOT_BUILT),
    ...BUILD_INPUTS.flatMap((file) => fileTimes(join(pkg.dir, file))),
    ...SHARED_INPUTS.flatMap((file) => fileTimes(file)),
  ]
  const builtAt = Math.min(...built)
  return inputs.some((time) => time > builtAt) ? 'sources changed since the last build' : null
}

/** Runs the package's tsup (its `build` script) with the current Node. */
function runBuild(pkg: BuildablePackage): Promise<void> {
  const require = createRequire(join(pkg.dir, 'package.json'))
  const tsup = require.resolve('tsup/dist/cli-default.js')
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [tsup], { cwd: pkg.dir, stdio: 'pipe' })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.on('error', fail)
    child.on('close', (code) => {
      if (code === 0) done()
      else fail(new Error(`building ${pkg.name} failed (tsup exit ${code}):\n${output}`))
    })
  })
}

/**
 * Builds, in order, every package whose `dist` is missing or stale ({@link staleReason}).
 * @param log - receives one line per package built.
 * @param root - the repository root.
 * @returns the names of the packages built.
 */
export async function buildStalePackages(
  log: (line: string) => void = console.log,
  root = repoRoot,
): Promise<string[]> {
  const built: string[] = []
  for (const pkg of buildablePackages(root)) {
    const reason = staleReason(pkg)
    if (!reason) continue
    const started = performance.now()
    await runBuild(pkg)
    built.push(pkg.name)
    log(`built ${pkg.name} (${reason}) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  return built
}

/**
 * vitest `globalSetup`: builds the stale packages once, before any test file runs. vitest runs
 * the global setups one after another, so a second project's call finds `dist` current.
 */
export async function setup(): Promise<void> {
  await buildStalePackages((line) => console.log(`[build before tests] ${line}`))
}
