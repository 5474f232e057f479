/**
 * Shared steps of the outside-in check: timed steps, child commands, packing, and turning a
 * workspace manifest into one npm can install from the tarballs.
 * @module
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '@presence/testing'
import { packPackage, publicPackages, repoRoot } from './workspace.mjs'

/** Package name → absolute path of its tarball. */
export type Packed = Record<string, string>

/** Runs one named step, printing its name, what it reports and its duration; rethrows failures. */
export async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const started = Date.now()
  console.log(`\n--- ${name}`)
  try {
    const result = await run()
    console.log(`ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    return result
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`${name} (after ${((Date.now() - started) / 1000).toFixed(1)} s): ${message}`)
  }
}

/**
 * The environment of a stranger's shell: without what `pnpm run` adds (its `npm_config_*`
 * settings such as the workspace's overrides, `npm_package_*`, and the workspace's
 * `node_modules/.bin` directories on PATH), so a missing dependency cannot be found in the
 * monorepo by accident.
 */
export function strangerEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) || key === 'PNPM_HOME' || key === 'NODE_OPTIONS') continue
    env[key] = value
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.startsWith(repoRoot) && !dir.includes('/node_modules/'))
    .join(':')
  return env
}

/** {@link strangerEnv} as overrides of the current environment (removed keys set to undefined). */
export function strangerEnvOverrides(): Record<string, string | undefined> {
  const clean = strangerEnv()
  const overrides: Record<string, string | undefined> = { PATH: clean.PATH }
  for (const key of Object.keys(process.env)) if (!(key in clean)) overrides[key] = undefined
  return overrides
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd: string
  env?: Record<string, string | undefined>
  /** Killed (and failed) after this long. @default 600_000 */
  timeoutMs?: number
}

/**
 * Runs a command to completion. Its output is collected and printed only when it fails (the
 * last 60 lines); resolves with the output.
 */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 600_000
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...strangerEnv(), NEXT_TELEMETRY_DISABLED: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve(output)
      const tail = output.trimEnd().split('\n').slice(-60).join('\n')
      reject(
        new Error(
          `${command} ${args.join(' ')} exited ${code ?? signal} in ${options.cwd}\n${tail}`,
        ),
      )
    })
  })
}

/**
 * Where the better-sqlite3 binary compiled by the first install is kept for the next ones.
 * Its install script looks for a prebuilt binary on GitHub, which this CI cannot reach, then
 * compiles SQLite from source (minutes on a busy machine); later installs in the same run find
 * the binary here instead, through prebuild-install's documented `local-prebuilds` setting.
 */
let prebuilds = join(tmpdir(), `presence-outside-in-prebuilds-${process.pid}`)

/** Keeps the compiled better-sqlite3 binaries in `dir` (inside the run's working folder). */
export function keepPrebuildsIn(dir: string): void {
  prebuilds = dir
}

/**
 * Saves the compiled better-sqlite3 in package folder `pkg` as a local prebuild, once per
 * version. Seeded from the workspace's own install at the start, so an npm install that resolves
 * the same version compiles nothing.
 */
export async function keepPrebuild(pkg: string): Promise<void> {
  const cwd = pkg
  const binary = join(pkg, 'build/Release/better_sqlite3.node')
  if (!existsSync(binary)) return
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
    version: string
  }
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  if (existsSync(join(prebuilds, name))) return
  mkdirSync(prebuilds, { recursive: true })
  await run(
    'tar',
    ['-czf', join(prebuilds, name), '-C', pkg, 'build/Release/better_sqlite3.node'],
    {
      cwd,
    },
  )
  console.log(`kept the compiled better-sqlite3 ${version} for the next installs`)
}

/** `npm install` with the quiet flags a CI wants; `packages` adds dependencies. */
export async function npmInstall(cwd: string, packages: string[] = []): Promise<string> {
  const out = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages],
    {
      cwd,
      env: { npm_config_better_sqlite3_local_prebuilds: prebuilds },
      timeoutMs: 600_000,
    },
  )
  await keepPrebuild(join(cwd, 'node_modules/better-sqlite3'))
  return out
}

/** `pnpm pack`s every public package into `destination`. */
export function packAll(destination: string): Packed {
  const packed: Packed = {}
  for (const pkg of publicPackages()) {
    packed[pkg.name] = packPackage(pkg, destination)
    console.log(`packed ${pkg.name} → ${packed[pkg.name]}`)
  }
  return packed
}

/** The `catalog:` ranges of pnpm-workspace.yaml (a flat map; the file is YAML, read line by line). */
export function catalog(): Record<string, string> {
  const text = readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')
  const ranges: Record<string, string> = {}
  let inside = false
  for (const line of text.split('\n')) {
    if (/^catalog:\s*$/.test(line)) {
      inside = true
      continue
    }
    if (inside && /^\S/.test(line)) inside = false
    const entry = inside ? /^\s+["']?([^"':]+)["']?:\s*(\S+)/.exec(line) : null
    if (entry?.[1] && entry[2]) ranges[entry[1]] = entry[2]
  }
  return ranges
}

type Manifest = Record<string, unknown> & {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/**
 * Rewrites a workspace manifest for npm outside the workspace: `@presence/*` published packages
 * point at their tarballs, workspace-only packages (e.g. `@presence/testing`) are dropped,
 * `catalog:` becomes the catalog's range. Writes it to `file`.
 * @returns the dependency names that were dropped.
 */
export function rewriteManifest(file: string, packed: Packed): string[] {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest
  const ranges = catalog()
  const dropped: string[] = []
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = manifest[field]
    if (!deps) continue
    for (const [name, spec] of Object.entries(deps)) {
      if (spec.startsWith('workspace:')) {
        const tgz = packed[name]
        if (tgz) deps[name] = `file:${tgz}`
        else {
          delete deps[name]
          dropped.push(name)
        }
      } else if (spec === 'catalog:') {
        const range = ranges[name]
        if (!range) throw new Error(`${name} is not in the catalog`)
        deps[name] = range
      }
    }
  }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
  return dropped
}

/**
 * `next build` in `dir` with the app's own Next.js, which must use Turbopack (the default);
 * prints the lines of its output that match `show`.
 */
export async function nextBuild(dir: string, show: RegExp): Promise<void> {
  const out = await run(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: dir,
  })
  if (!/Turbopack/.test(out)) throw new Error(`next build did not use Turbopack:\n${out}`)
  console.log(
    out
      .trim()
      .split('\n')
      .filter((line) => show.test(line))
      .join('\n'),
  )
}

/** Waits until `url` answers (any status), trying every 250 ms, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(() => fetch(url), { timeoutMs, intervalMs: 250, what: url })
  } catch (error) {
    // step() prints only the message: keep the last fetch failure in it, as its cause is dropped
    throw new Error(`${url} did not answer in ${timeoutMs} ms: ${(error as Error).cause}`)
  }
}

export { repoRoot }
