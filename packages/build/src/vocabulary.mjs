// @ts-check
/**
 * The vocabulary check of `pnpm lint`: what users read (guides, READMEs, TSDoc and comments of
 * the published sources, package descriptions, the examples' code and UI) speaks about the
 * product, never about how this repository was planned. A user does not know what "a batch authentication service"
 * or "issue 3" is: describe the scenario instead ("a messenger's active list", "a batch
 * authentication service", "a Chrome extension's session channels").
 * @module
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** @typedef {{ file: string, line: number, column: number, match: string, rule: string }} Finding */

/** What is refused, with the reason shown next to each finding. */
export const RULES = [
  {
    rule: 'a planning seed (say which scenario: "a messenger\'s active list", ...)',
    pattern: /\bseeds?[\s_-]*#?0\d*\b|\bseeds?\s+\d/gi,
  },
  { rule: 'an issue number (describe the goal itself)', pattern: /\bissues?\s*#?\d+/gi },
  { rule: 'a planning seed (say which scenario)', pattern: /\bthe seeds?'s?(?=\s)/gi },
]

/**
 * Files users read, as repository-relative paths: markdown in docs/, the READMEs, every
 * non-test source file of packages/ and examples/ (TSDoc ships in `.d.ts`; example code is
 * what users copy), manifests (descriptions), the extension manifest.
 * @param {string[]} tracked - `git ls-files` output
 * @returns {string[]}
 */
export function userFacingFiles(tracked) {
  return tracked.filter((file) => {
    if (/(^|\/)(node_modules|dist|\.next)\//.test(file)) return false
    if (/\.test\.tsx?$|(^|\/)(test|e2e)\//.test(file)) return false
    // The check itself names what it refuses.
    if (/^packages\/build\/(check-vocabulary\.mjs|src\/vocabulary\.mjs)$/.test(file)) return false
    if (file === 'README.md') return true
    if (/^docs\/[^/]+\.md$/.test(file)) return true
    if (/^\.changeset\/.+\.md$/.test(file)) return true
    if (!/^(packages|examples)\//.test(file)) return false
    return (
      /\.(md|ts|tsx|mts|cts|mjs|js|json|html|css)$/.test(file) &&
      !/\/tsconfig[\w.]*\.json$/.test(file)
    )
  })
}

/**
 * Finds every forbidden reference in a text.
 * @param {string} text
 * @param {string} file - for reporting
 * @returns {Finding[]}
 */
export function findInText(text, file) {
  /** @type {Finding[]} */
  const findings = []
  const lines = text.split('\n')
  lines.forEach((line, index) => {
    for (const { rule, pattern } of RULES) {
      for (const match of line.matchAll(pattern)) {
        findings.push({
          file,
          line: index + 1,
          column: (match.index ?? 0) + 1,
          match: match[0],
          rule,
        })
      }
    }
  })
  return findings
}

/**
 * Checks files on disk.
 * @param {string} root - repository root
 * @param {string[]} files - repository-relative paths
 * @returns {Finding[]}
 */
export function checkFiles(root, files) {
  return files.flatMap((file) => findInText(readFileSync(join(root, file), 'utf8'), file))
}
