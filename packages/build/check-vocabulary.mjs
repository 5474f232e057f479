#!/usr/bin/env node
// @ts-check
/**
 * `pnpm lint` (after biome): fails when a file users read names a planning seed ("a batch authentication service")
 * or an issue number ("issue 3"). See ./src/vocabulary.mjs for the rules and the files checked.
 * @module
 */
import { execFileSync } from 'node:child_process'
import { checkFiles, userFacingFiles } from './src/vocabulary.mjs'
import { repoRoot } from './src/workspace.mjs'

const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: repoRoot,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean)
const files = userFacingFiles(tracked)
const findings = checkFiles(repoRoot, files)
for (const f of findings) console.log(`${f.file}:${f.line}:${f.column} "${f.match}": ${f.rule}`)
console.log(
  `vocabulary: ${files.length} user-facing files checked, ${findings.length} internal reference(s) found`,
)
process.exit(findings.length === 0 ? 0 : 1)
