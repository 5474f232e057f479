// @ts-check
/**
 * Finds the public workspace packages and packs them with `pnpm pack`, which applies
 * `publishConfig` (the `exports` map without the `source` condition) and rewrites
 * `workspace:*` dependencies to real versions, exactly as `pnpm publish` / `changeset publish` do.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (two levels above packages/build/src). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')

/**
 * @typedef {{ dir: string, name: string, version: string, manifest: Record<string, any> }} WorkspacePackage
 */

/**
 * The packages under `packages/` that are published (not `private`).
 * @returns {WorkspacePackage[]}
 */
export function publicPackages() {
  const base = join(repoRoot, 'packages')
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(base, entry.name)
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      return { dir, name: manifest.name, version: manifest.version, manifest }
    })
    .filter((pkg) => !pkg.manifest.private)
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * `pnpm pack` one package into `destination`.
 * @param {WorkspacePackage} pkg
 * @param {string} destination - directory for the tarball
 * @returns {string} absolute path of the tarball
 */
export function packPackage(pkg, destination) {
  const res = spawnSync('pnpm', ['pack', '--pack-destination', destination, '--json'], {
    cwd: pkg.dir,
    encoding: 'utf8',
  })
  if (res.status !== 0) {
    throw new Error(`pnpm pack failed in ${pkg.dir}:\n${res.stdout}${res.stderr}`)
  }
  const json = res.stdout.slice(res.stdout.indexOf('{'))
  /** @type {{ filename: string }} */
  const info = JSON.parse(json)
  return resolve(destination, info.filename)
}
