#!/usr/bin/env node
// @ts-check
/**
 * `pnpm check:package`: packs every public package (run `pnpm build` first) and checks each
 * tarball: only dist/, README, LICENSE, CHANGELOG and package.json inside; the packed
 * package.json carries `publishConfig.exports` (no `source` condition), real versions instead of
 * `workspace:*`, and points only at files that exist; `publint --strict` and
 * `attw --profile node16` report nothing. Exits 1 on any problem.
 *
 * Usage:
 *   node packages/build/check-package.mjs                 pack and check all public packages
 *   node packages/build/check-package.mjs --verbose       also print publint / attw output
 *   node packages/build/check-package.mjs a.tgz b.tgz     check existing tarballs
 * @module
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkTarball } from './src/tarball.mjs'
import { packPackage, publicPackages } from './src/workspace.mjs'

const args = process.argv.slice(2)
const verbose = args.includes('--verbose')
const given = args.filter((a) => !a.startsWith('--'))

/** @type {Array<{ label: string, tgz?: string, expect: { name?: string, version?: string }, packError?: string }>} */
const targets = []
let scratch = ''

if (given.length > 0) {
  for (const tgz of given) targets.push({ label: tgz, tgz, expect: {} })
} else {
  scratch = mkdtempSync(join(tmpdir(), 'presence-pack-'))
  for (const pkg of publicPackages()) {
    const target = { label: pkg.name, expect: { name: pkg.name, version: pkg.version } }
    if (!existsSync(join(pkg.dir, 'dist'))) {
      targets.push({ ...target, packError: `no dist/ in ${pkg.dir}: run \`pnpm build\` first` })
      continue
    }
    try {
      targets.push({ ...target, tgz: packPackage(pkg, scratch) })
    } catch (error) {
      targets.push({ ...target, packError: error instanceof Error ? error.message : String(error) })
    }
  }
}

let failed = 0
const summary = []
for (const target of targets) {
  if (!target.tgz) {
    failed++
    summary.push(`FAIL ${target.label}\n  - ${target.packError}`)
    continue
  }
  const result = checkTarball(target.tgz, target.expect)
  const ok = result.problems.length === 0
  if (!ok) failed++
  const lines = [`${ok ? 'ok  ' : 'FAIL'} ${target.label}@${result.manifest.version}`]
  for (const problem of result.problems) lines.push(`  - ${problem}`)
  if (verbose || !result.publint.ok) lines.push(indent(`publint: ${result.publint.output}`))
  if (verbose || !result.attw.ok) lines.push(indent(`attw:\n${result.attw.output}`))
  summary.push(lines.join('\n'))
}

if (scratch) rmSync(scratch, { recursive: true, force: true })

console.log(summary.join('\n'))
if (targets.length === 0) {
  console.log('check:package: no public packages found')
  process.exit(1)
}
console.log(
  `check:package: ${targets.length - failed}/${targets.length} package(s) passed` +
    ' (contents, manifest, publint --strict, attw --profile node16)',
)
process.exit(failed === 0 ? 0 : 1)

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}
