// The recorded public API of every published entry point: API Extractor reads each entry's
// built declarations (`dist/*.d.ts`, so run `pnpm build` first) and writes its report to
// `packages/<pkg>/api/<entry>.api.md`, which is checked in.
//
//   node packages/build/api-report.mjs            check: exit 1 if any report differs
//   node packages/build/api-report.mjs --update   rewrite the reports after an intended change
//   node packages/build/api-report.mjs --self-check
//       proves the check fails: adds one export to a copy of an entry's declarations and
//       expects API Extractor to report a change against the checked-in report.
//
// `.ci/run` runs the check and the self-check. A report lists every exported name with its
// signature, `@internal` ones marked as such, so an accidental change to the API shows up in
// review as a diff of that file.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor'
import { publicPackages, repoRoot } from './src/workspace.mjs'

const update = process.argv.includes('--update')
const selfCheck = process.argv.includes('--self-check')

/**
 * @typedef {{ dir: string, name: string, subpath: string, types: string }} Entry
 *   One published entry point and its built declarations.
 */

/**
 * Every published entry of a package: `.` → `index`, `./session` → `session`…
 *
 * @param {import('./src/workspace.mjs').WorkspacePackage} pkg - a published workspace package.
 * @returns {Entry[]} its entries.
 */
function entries({ dir, manifest }) {
  const exportsMap = manifest.publishConfig?.exports ?? manifest.exports
  return Object.entries(exportsMap)
    .filter(([, target]) => typeof target === 'object' && target.import?.types)
    .map(([/** @type {string} */ subpath, /** @type {any} */ target]) => ({
      dir,
      name: subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-'),
      subpath: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      types: join(dir, target.import.types),
    }))
}

/**
 * Runs API Extractor on one entry.
 *
 * @param {Entry} entry - the entry.
 * @param {{ types?: string, local?: boolean }} [options] - other declarations to read, and
 *   whether to write the report (`--update`) instead of comparing.
 * @returns {{ changed: boolean, errors: number }} whether the report differs from the
 *   checked-in one, and API Extractor's error count.
 */
function extract(entry, { types = entry.types, local = update } = {}) {
  if (!existsSync(types)) throw new Error(`${types} is missing: run \`pnpm build\` first`)
  mkdirSync(join(entry.dir, 'api'), { recursive: true })
  const temp = mkdtempSync(join(tmpdir(), 'api-report-'))
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: entry.dir,
        mainEntryPointFilePath: types,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              module: 'ESNext',
              moduleResolution: 'Bundler',
              lib: ['ES2023', 'DOM', 'DOM.Iterable'],
              types: ['node'],
              skipLibCheck: true,
              strict: true,
            },
            files: [types],
          },
        },
        apiReport: {
          enabled: true,
          reportFolder: join(entry.dir, 'api'),
          reportTempFolder: temp,
          reportFileName: entry.name,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: 'lf',
        messages: {
          // The report is the record; TSDoc style and release tags are checked elsewhere
          // (typedoc with `notDocumented`, `docs/tsdoc-audit.ts`).
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.None },
            'ae-unresolved-link': { logLevel: ExtractorLogLevel.None },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        },
      },
      configObjectFullPath: join(entry.dir, 'api-extractor.json'),
      packageJsonFullPath: join(entry.dir, 'package.json'),
    })
    const result = Extractor.invoke(config, {
      localBuild: local,
      showVerboseMessages: false,
      messageCallback: (message) => {
        // "You have changed the API signature…": reported below, once per entry.
        if (message.messageId === 'console-api-report-changed') message.handled = true
      },
    })
    return { changed: result.apiReportChanged, errors: result.errorCount }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

const all = publicPackages().flatMap(entries)

if (selfCheck) {
  // A copy of the client's declarations with one more export must differ from its report.
  const entry = all.find((e) => e.subpath === '@presence/client')
  if (!entry) throw new Error('no @presence/client entry to check against')
  const copy = mkdtempSync(join(entry.dir, '.api-self-check-'))
  try {
    cpSync(join(entry.dir, 'dist'), copy, { recursive: true })
    const types = join(copy, 'index.d.ts')
    writeFileSync(
      types,
      `${readFileSync(types, 'utf8')}\nexport declare function addedWithoutReport(): void\n`,
    )
    const unchanged = extract(entry, { local: false })
    const changed = extract(entry, { types, local: false })
    console.log(
      `self-check: ${entry.subpath} as built → report ${unchanged.changed ? 'differs' : 'matches'}; with one added export → report ${changed.changed ? 'differs' : 'matches'}`,
    )
    if (unchanged.changed || !changed.changed) {
      console.error('self-check failed: the API report check would not catch a changed export')
      process.exitCode = 1
    } else console.log('self-check passed: an export changed without its report fails the check')
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
} else {
  const stale = []
  for (const entry of all) {
    const { changed, errors } = extract(entry)
    const file = relative(repoRoot, join(entry.dir, 'api', `${entry.name}.api.md`))
    console.log(
      `${entry.subpath.padEnd(28)} ${file} ${changed ? (update ? 'updated' : 'DIFFERS') : 'unchanged'}`,
    )
    if (errors) stale.push(`${file}: ${errors} API Extractor error(s)`)
    else if (changed && !update) stale.push(file)
  }
  if (stale.length) {
    console.error(
      `\nThe exported API differs from its checked-in report:\n  ${stale.join('\n  ')}\nIf the change is intended, run \`pnpm api:update\` (after \`pnpm build\`) and commit the reports.`,
    )
    process.exitCode = 1
  } else
    console.log(
      `\n${all.length} API reports ${update ? 'written' : 'match the built declarations'}`,
    )
}
