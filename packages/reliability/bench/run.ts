/**
 * `pnpm bench`: every side-by-side benchmark of issue 11 in one run, written
 * to docs/benchmarks.md with the machine description and each goal's ratio,
 * met or not. `--only <name>[,<name>]` runs a subset (signing, http,
 * page-load, members, bundle, runtimes) and prints it without touching the file.
 */
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem, type } from 'node:os'
import { benchBundles } from './bundle.js'
import { benchHttp } from './http.js'
import { benchMembers } from './members.js'
import { benchPageLoad } from './page-load.js'
import { markdownTable, type Section } from './report.js'
import { benchSigningRuntimes } from './runtimes.js'
import { benchSigning } from './sign.js'

const all = {
  signing: () => benchSigning(),
  http: () => benchHttp(),
  'page-load': () => benchPageLoad(),
  members: () => benchMembers(),
  bundle: () => benchBundles(),
  runtimes: () => benchSigningRuntimes(),
} satisfies Record<string, () => Promise<Section>>

const onlyFlag = process.argv.indexOf('--only')
const only = onlyFlag > 0 ? (process.argv[onlyFlag + 1] ?? '').split(',') : null
const names = (Object.keys(all) as Array<keyof typeof all>).filter((n) => !only || only.includes(n))
if (names.length === 0) throw new Error(`--only takes some of: ${Object.keys(all).join(', ')}`)

const sections: Section[] = []
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`)
  sections.push(await all[name]())
}

const cpu = cpus()
const machine = [
  `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
  `- Memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- OS: ${type()} ${release()}`,
  `- Node.js ${process.version}`,
  `- Load average when the run started: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
].join('\n')

const goals = sections.flatMap((s) => s.goals.map((g) => ({ ...g, section: s.title })))
const body = [
  '---',
  'title: Benchmarks',
  '---',
  '',
  '# Benchmarks',
  '',
  "Every figure below was produced by one run of `pnpm bench` on the machine described here; each goal is a ratio against a baseline measured in the same run, so the machine's speed cancels out (its noise does not: on a shared 2-core machine, expect ±15 % between runs). Nothing here is a timed assertion in the test suite.",
  '',
  '## Machine',
  '',
  machine,
  '',
  '## Goals',
  '',
  markdownTable([
    ['goal', 'target', 'measured', 'met'],
    ...goals.map((g) => [g.name, g.target, g.measured, g.met ? 'yes' : '**no** (see below)']),
  ]),
  '',
  ...(goals.some((g) => !g.met)
    ? [
        '### Goals not met, and why',
        '',
        ...goals
          .filter((g) => !g.met)
          .map(
            (g) =>
              `- **${g.name}** (${g.measured}, target ${g.target}): ${g.note ?? 'no reason recorded'}.`,
          ),
        '',
      ]
    : []),
  ...sections.flatMap((s) => [
    `## ${s.title}`,
    '',
    s.method,
    '',
    `Command: \`${s.command}\``,
    '',
    markdownTable(s.table),
    '',
  ]),
].join('\n')

if (only) {
  process.stdout.write(`${body}\n`)
} else {
  const out = new URL('../../../docs/benchmarks.md', import.meta.url)
  writeFileSync(
    out,
    `${body.trimEnd()}\n${process.env.BENCH_NOTES ? `\n${process.env.BENCH_NOTES}\n` : ''}`,
  )
  process.stdout.write(`${body}\nwritten to docs/benchmarks.md\n`)
}
