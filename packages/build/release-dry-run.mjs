#!/usr/bin/env node
// @ts-check
/**
 * `pnpm release:dry-run`: rehearses `pnpm version-packages` + `pnpm release` without touching
 * the working tree or a registry. Needs `pnpm build` first.
 *
 * In a scratch copy of the workspace (package manifests, dist/, .changeset/) it:
 * 1. runs `changeset version` with the pending changesets, and checks that the three public
 *    packages moved to one new version together (the `fixed` group), each with a CHANGELOG.md,
 *    while private packages kept theirs;
 * 2. packs each public package with `pnpm pack` and checks the tarball: the new version,
 *    dependencies between the packages rewritten from `workspace:*` to that exact version, and
 *    every `check:package` rule (contents, publint --strict, attw);
 * 3. runs `pnpm publish --dry-run` on each package, which goes through publish's own checks
 *    without uploading.
 * Exits 1 on any problem.
 * @module
 */
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { checkTarball } from './src/tarball.mjs'
import { publicPackages, repoRoot } from './src/workspace.mjs'

/** @type {string[]} */
const problems = []
/** @param {string} message */
const fail = (message) => {
  problems.push(message)
  console.log(`  FAIL ${message}`)
}
/** @param {string} message */
const ok = (message) => console.log(`  ok   ${message}`)

const originals = publicPackages()
const publicNames = new Set(originals.map((p) => p.name))
for (const pkg of originals) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.log(`release:dry-run: no dist/ in ${pkg.dir}: run \`pnpm build\` first`)
    process.exit(1)
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'presence-release-'))
try {
  console.log(`scratch workspace: ${scratch}`)
  copyWorkspace(scratch)

  console.log('1. changeset version')
  const pending = readdirSync(join(scratch, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  )
  if (pending.length === 0) fail('no pending changeset in .changeset/: nothing to release')
  else ok(`${pending.length} pending changeset(s): ${pending.join(', ')}`)
  const version = run(
    process.execPath,
    [join(repoRoot, 'node_modules/@changesets/cli/bin.js'), 'version'],
    scratch,
  )
  if (!version.ok) fail(`changeset version failed:\n${version.output}`)

  const versioned = originals.map((pkg) => {
    const dir = join(scratch, relative(repoRoot, pkg.dir))
    return { ...pkg, dir, manifest: readJson(join(dir, 'package.json')) }
  })
  const versions = new Set(versioned.map((p) => p.manifest.version))
  const [next] = versions
  if (versions.size !== 1 || !next) {
    fail(`the fixed group split: ${versioned.map((p) => `${p.name}@${p.manifest.version}`)}`)
  } else if (next === originals[0]?.version) {
    fail(`version did not move from ${next}`)
  } else {
    ok(`${versioned.map((p) => p.name).join(', ')}: ${originals[0]?.version} -> ${next}`)
  }
  for (const pkg of versioned) {
    if (existsSync(join(pkg.dir, 'CHANGELOG.md'))) ok(`${pkg.name}: CHANGELOG.md written`)
    else fail(`${pkg.name}: no CHANGELOG.md after changeset version`)
  }
  for (const dir of ['packages', 'examples']) {
    for (const entry of readdirSync(join(repoRoot, dir))) {
      const file = join(dir, entry, 'package.json')
      if (!existsSync(join(repoRoot, file))) continue
      const before = readJson(join(repoRoot, file))
      if (!before.private) continue
      const after = readJson(join(scratch, file))
      if (after.version !== before.version) {
        fail(`private ${before.name} was versioned (${before.version} -> ${after.version})`)
      }
    }
  }
  ok('private packages keep their versions')
  const leftover = readdirSync(join(scratch, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  )
  if (leftover.length > 0) fail(`changesets not consumed: ${leftover.join(', ')}`)

  console.log('2. pnpm pack + tarball checks')
  const packDir = join(scratch, '.tarballs')
  mkdirSync(packDir)
  for (const pkg of versioned) {
    const packed = run('pnpm', ['pack', '--pack-destination', packDir, '--json'], pkg.dir)
    if (!packed.ok) {
      fail(`${pkg.name}: pnpm pack failed:\n${packed.output}`)
      continue
    }
    const tgz = JSON.parse(packed.output.slice(packed.output.indexOf('{'))).filename
    const result = checkTarball(tgz, { name: pkg.name, version: next ?? '' })
    for (const problem of result.problems) fail(`${pkg.name}: ${problem}`)
    if (!result.publint.ok) console.log(result.publint.output)
    if (!result.attw.ok) console.log(result.attw.output)
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(result.manifest[field] ?? {})) {
        if (!publicNames.has(dep)) continue
        if (range === next) ok(`${pkg.name}: ${field}.${dep} = ${range}`)
        else fail(`${pkg.name}: ${field}.${dep} is "${range}", expected "${next}"`)
      }
    }
    if (result.problems.length === 0) ok(`${pkg.name}@${result.manifest.version}: tarball passes`)
  }

  console.log('3. pnpm publish --dry-run')
  for (const pkg of versioned) {
    const published = run(
      'pnpm',
      ['publish', '--dry-run', '--no-git-checks', '--access', 'public', '--tag', 'latest'],
      pkg.dir,
    )
    if (published.ok && published.output.includes(`${pkg.name}@${next}`)) {
      ok(`${pkg.name}@${next} would publish`)
    } else {
      fail(`${pkg.name}: pnpm publish --dry-run failed:\n${published.output}`)
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

console.log(
  problems.length === 0 ? 'release:dry-run: ok' : `release:dry-run: ${problems.length} problem(s)`,
)
process.exit(problems.length === 0 ? 0 : 1)

/**
 * Copies what changesets and pnpm need: the root manifest, workspace file, lockfile and
 * .changeset/, every workspace package's manifest, and for the public packages their dist/,
 * README/LICENSE and node_modules links (node_modules itself is shared through a symlink).
 * @param {string} to
 */
function copyWorkspace(to) {
  for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', '.npmrc']) {
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(to, file))
  }
  cpSync(join(repoRoot, '.changeset'), join(to, '.changeset'), { recursive: true })
  symlinkSync(join(repoRoot, 'node_modules'), join(to, 'node_modules'))
  for (const dir of ['packages', 'examples']) {
    for (const entry of readdirSync(join(repoRoot, dir))) {
      const from = join(repoRoot, dir, entry)
      if (!existsSync(join(from, 'package.json'))) continue
      mkdirSync(join(to, dir, entry), { recursive: true })
      cpSync(join(from, 'package.json'), join(to, dir, entry, 'package.json'))
    }
  }
  for (const pkg of originals) {
    const dest = join(to, relative(repoRoot, pkg.dir))
    for (const entry of readdirSync(pkg.dir)) {
      if (/^(dist|node_modules|README.*|LICENSE.*|CHANGELOG.*)$/i.test(entry)) {
        cpSync(join(pkg.dir, entry), join(dest, entry), { recursive: true, verbatimSymlinks: true })
      }
    }
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
function run(command, args, cwd) {
  const res = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      // Nothing listens there: a dry run must never reach a registry. Without retries the
      // refused connection is answered at once (npm's default, 2 retries with back-off, made
      // each `publish --dry-run` wait 70 s).
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
    },
  })
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim() }
}

/** @param {string} file */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'))
}
