/**
 * `pnpm bench`: every side-by-side benchmark in one run, written to
 * docs/benchmarks.md with the machine description (load average before and
 * after, busy or quiet), each goal's ratio, met or not with the measured
 * reason, and how long each section took. `--only <name>[,<name>]` runs a
 * subset (signing, http, page-load, members, bundle, runtimes, storm,
 * soketi-race, tabs, lanes) and
 * prints it without touching the file.
 */
import { writeFileSync } from 'node:fs'
import { cpus, release, totalmem, type } from 'node:os'
import { benchBundles } from './bundle.js'
import { benchHttp } from './http.js'
import { benchLanes } from './lanes.js'
import { benchMembers } from './members.js'
import { benchPageLoad } from './page-load.js'
import { markdownTable, type Section } from './report.js'
import { benchSigningRuntimes } from './runtimes.js'
import { benchSigning } from './sign.js'
import { benchSoketiRace } from './soketi-race.js'
import { fmtLoad, sampleLoad } from './stats.js'
import { benchStorm } from './storm.js'
import { benchTabs } from './tabs.js'

const all = {
  signing: () => benchSigning(),
  http: () => benchHttp(),
  'page-load': () => benchPageLoad(),
  members: () => benchMembers(),
  bundle: () => benchBundles(),
  runtimes: () => benchSigningRuntimes(),
  storm: () => benchStorm(),
  'soketi-race': () => benchSoketiRace(),
  tabs: () => benchTabs(),
  lanes: () => benchLanes(),
} satisfies Record<string, () => Promise<Section>>

const onlyFlag = process.argv.indexOf('--only')
const only = onlyFlag > 0 ? (process.argv[onlyFlag + 1] ?? '').split(',') : null
const names = (Object.keys(all) as Array<keyof typeof all>).filter((n) => !only || only.includes(n))
if (names.length === 0) throw new Error(`--only takes some of: ${Object.keys(all).join(', ')}`)

const loadBefore = sampleLoad()
const sections: Section[] = []
const took = new Map<Section, number>()
for (const name of names) {
  process.stderr.write(`bench: ${name}…\n`)
  const started = performance.now()
  const section = await all[name]()
  took.set(section, (performance.now() - started) / 1000)
  process.stderr.write(`bench: ${name} took ${took.get(section)!.toFixed(0)} s\n`)
  sections.push(section)
}

const loadAfter = sampleLoad()
const busy = loadBefore.busy || loadAfter.busy
const cpu = cpus()
const machine = [
  `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
  `- Memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `- OS: ${type()} ${release()}`,
  `- Node.js ${process.version}`,
  `- Load average (1, 5, 15 min) before the run: ${fmtLoad(loadBefore)}; after: ${fmtLoad(loadAfter)}`,
  busy
    ? `- **Busy machine**: the 1-minute load average exceeded ${(0.7 * cpu.length).toFixed(1)} (0.7 per core) before or after the run, so other processes competed for the CPU; ratios are noisier than on a quiet machine.`
    : '- Quiet machine: the 1-minute load average stayed under 0.7 per core before and after the run.',
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
  "Every figure below was produced by one run of `pnpm bench` on the machine described here; each goal is a ratio against a baseline measured in the same run, so the machine's speed cancels out (its noise does not: every timing comes with its spread, the interquartile range (IQR) of its rounds, and the machine's load average is recorded before and after the run). Nothing here is a timed assertion in the test suite.",
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
    `Command: \`${s.command}\` (this section took ${took.get(s)!.toFixed(0)} s)`,
    '',
    markdownTable(s.table),
    '',
    ...(s.extra ?? []).flatMap((e) => [typeof e === 'string' ? e : markdownTable(e), '']),
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
