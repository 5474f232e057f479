// @ts-check
/**
 * Checks on a packed npm tarball (`pnpm pack` output): what it holds, what its packed
 * package.json says, and what publint and attw think of it. Used by `pnpm check:package`
 * and by the release dry run, so both judge tarballs by the same rules.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './workspace.mjs'

/** Files a published tarball may hold: dist/, README, LICENSE, CHANGELOG and package.json. */
export const ALLOWED_FILE =
  /^package\/(package\.json|(README|LICENSE|CHANGELOG)(\.md|\.txt)?|dist\/.+)$/i

/**
 * Lists the paths inside a `.tgz` (as `tar -tzf` prints them, e.g. `package/dist/index.js`).
 * @param {string} tgz - path of the tarball
 * @returns {string[]}
 */
export function listTarball(tgz) {
  const res = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
  if (res.status !== 0) throw new Error(`tar -tzf ${tgz} failed: ${res.stderr}`)
  return res.stdout.split('\n').filter((line) => line && !line.endsWith('/'))
}

/**
 * Reads `package/package.json` out of a tarball.
 * @param {string} tgz
 * @returns {Record<string, any>}
 */
export function readPackedManifest(tgz) {
  const res = spawnSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' })
  if (res.status !== 0) throw new Error(`cannot read package.json from ${tgz}: ${res.stderr}`)
  return JSON.parse(res.stdout)
}

/**
 * Every string target of an `exports` map, with the condition path that leads to it.
 * @param {unknown} node
 * @param {string[]} [path]
 * @returns {Array<{ conditions: string[], target: string }>}
 */
export function exportTargets(node, path = []) {
  if (typeof node === 'string') return [{ conditions: path, target: node }]
  if (node === null || typeof node !== 'object') return []
  return Object.entries(node).flatMap(([key, value]) => exportTargets(value, [...path, key]))
}

/**
 * Checks a tarball's contents and packed manifest (no external tools). Returns the problems found;
 * an empty list means the tarball is fine.
 *
 * @param {{ files: string[], manifest: Record<string, any> }} tarball - listing and packed package.json
 * @param {{ name?: string, version?: string }} [expect] - name / version the manifest must carry
 * @returns {string[]}
 */
export function inspectTarball({ files, manifest }, expect = {}) {
  /** @type {string[]} */
  const problems = []
  for (const file of files) {
    if (!ALLOWED_FILE.test(file)) problems.push(`unexpected file in tarball: ${file}`)
  }
  if (!files.some((f) => f.startsWith('package/dist/')))
    problems.push('tarball holds no dist/ files')
  if (expect.name && manifest.name !== expect.name) {
    problems.push(`name is ${manifest.name}, expected ${expect.name}`)
  }
  if (expect.version && manifest.version !== expect.version) {
    problems.push(`version is ${manifest.version}, expected ${expect.version}`)
  }
  if (manifest.private) problems.push('packed package.json is private')
  if (!manifest.exports) problems.push('packed package.json has no exports map')
  const fileSet = new Set(files)
  for (const { conditions, target } of exportTargets(manifest.exports)) {
    if (conditions.includes('source')) {
      problems.push(`exports keeps the "source" condition (${conditions.join(' > ')} -> ${target})`)
      continue
    }
    if (target.includes('*')) continue
    if (!fileSet.has(`package/${target.replace(/^\.\//, '')}`)) {
      problems.push(`exports ${conditions.join(' > ')} -> ${target}: file not in tarball`)
    }
  }
  for (const field of ['main', 'module', 'types']) {
    const target = manifest[field]
    if (typeof target === 'string' && !fileSet.has(`package/${target.replace(/^\.\//, '')}`)) {
      problems.push(`"${field}": ${target} is not in tarball`)
    }
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${field}.${dep} is still "${range}" (workspace protocol not rewritten)`)
      }
    }
  }
  if (manifest.sideEffects !== false) problems.push('"sideEffects" is not false')
  return problems
}

/**
 * Resolves a CLI's bin script from a package installed at the repository root.
 * @param {string} pkg
 * @param {string} bin
 */
function binOf(pkg, bin) {
  const dir = join(repoRoot, 'node_modules', pkg)
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[bin]
  return join(dir, rel)
}

/**
 * Runs a node CLI and captures its output.
 * @param {string} script
 * @param {string[]} args
 * @returns {{ ok: boolean, output: string }}
 */
function runNode(script, args) {
  const res = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  })
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim() }
}

/**
 * `publint run <tgz> --strict`: warnings count as errors.
 * @param {string} tgz
 */
export function runPublint(tgz) {
  return runNode(binOf('publint', 'publint'), ['run', tgz, '--strict'])
}

/**
 * `attw <tgz> --profile node16`: ESM and CJS consumers under node16/nodenext and bundler
 * resolution, every subpath. (node10 is left out: it cannot see `exports` subpaths at all.)
 * @param {string} tgz
 */
export function runAttw(tgz) {
  return runNode(binOf('@arethetypeswrong/cli', 'attw'), [
    tgz,
    '--profile',
    'node16',
    '--format',
    'table-flipped',
    '--no-emoji',
    '--no-color',
  ])
}

/**
 * All checks on one tarball: contents + manifest, publint --strict, attw.
 * @param {string} tgz
 * @param {{ name?: string, version?: string }} [expect]
 * @returns {{ problems: string[], publint: { ok: boolean, output: string }, attw: { ok: boolean, output: string }, manifest: Record<string, any> }}
 */
export function checkTarball(tgz, expect = {}) {
  const files = listTarball(tgz)
  const manifest = readPackedManifest(tgz)
  const problems = inspectTarball({ files, manifest }, expect)
  const publint = runPublint(tgz)
  if (!publint.ok) problems.push('publint --strict reported problems')
  const attw = runAttw(tgz)
  if (!attw.ok) problems.push('attw reported problems')
  return { problems, publint, attw, manifest }
}
