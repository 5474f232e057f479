/**
 * docs/getting-started.md followed block by block in an empty folder outside the workspace,
 * against a real soketi installed from the registry the way the guide says. Blocks are read
 * from the guide itself, in order, by their info string:
 * - ` ```sh run `: run with bash (a `cd` carries over to the next blocks); when it ends with
 *   `# expected output` comment lines, the last one (up to a `{` or `…`) must appear in the output;
 * - ` ```sh background `: started and left running (soketi, the server) until the end;
 * - ` ```json merge=<file> `: merged into that JSON file;
 * - ` ```js file=<name> `: written to that file.
 * Other blocks (` ```tsx `, plain ` ```sh `) are not run here; the docs tests type-check the
 * TypeScript ones. The only changes: ports 6001 and 3001 become free ports, and the
 * `@presence/*` names in install commands become the packed tarballs (not on the registry yet).
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getFreePort, type ManagedProcess, startProcess } from '@presence/testing'
import type { OutsideContext } from './example-app.js'
import { repoRoot, run, step, strangerEnvOverrides, waitForHttp } from './outside.js'

interface GuideBlock {
  line: number
  lang: string
  info: string
  code: string
}

/** The fenced blocks of a markdown text, with their info strings. */
export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n')
  const blocks: GuideBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\w*)\s*(.*)$/.exec(lines[i] ?? '')
    if (!open) continue
    const [, fence = '```', lang = '', info = ''] = open
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && lines[j]?.trim() !== fence) body.push(lines[j++] ?? '')
    blocks.push({ line: i + 1, lang, info: info.trim(), code: body.join('\n') })
    i = j
  }
  return blocks
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key]
    if (value && typeof value === 'object' && current && typeof current === 'object') {
      deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
    } else target[key] = value
  }
}

/** Runs the getting-started guide in `<work>/guide`. */
export async function followGettingStarted({ work, packed }: OutsideContext): Promise<void> {
  const guide = 'docs/getting-started.md'
  const blocks = guideBlocks(readFileSync(join(repoRoot, guide), 'utf8'))
  const soketiPort = await getFreePort()
  const appPort = await getFreePort()
  const ports = (text: string) =>
    text.replaceAll('6001', String(soketiPort)).replaceAll('3001', String(appPort))
  const tarballs = (text: string) =>
    text.replace(
      /(?<=npm install[^\n]*?)@presence\/(server|client|react)\b/g,
      (name) => packed[name] ?? name,
    )
  let cwd = join(work, 'guide')
  mkdirSync(cwd, { recursive: true })
  const background: ManagedProcess[] = []
  console.log(`\n${guide}: soketi on ${soketiPort} (for 6001), the server on ${appPort} (for 3001)`)
  try {
    for (const block of blocks) {
      const where = `${guide}:${block.line}`
      if (block.lang === 'sh' && block.info === 'run') {
        await step(`${where} run: ${block.code.split('\n')[0]}`, async () => {
          const script = `set -e\n${tarballs(ports(block.code))}\npwd > "${work}/.guide-cwd"\n`
          const out = await run('bash', ['-c', script], { cwd, timeoutMs: 600_000 })
          cwd = readFileSync(join(work, '.guide-cwd'), 'utf8').trim()
          const expected = block.code
            .split('\n')
            .filter((line) => line.startsWith('# '))
            .at(-1)
            ?.slice(2)
            .split(/[{…]/)[0]
            ?.trim()
          if (expected && !out.includes(expected)) {
            throw new Error(`expected "${expected}" in the output:\n${out}`)
          }
          const shown = out.trim().split('\n').slice(-4).join('\n')
          if (shown) console.log(shown)
        })
      } else if (block.lang === 'sh' && block.info === 'background') {
        await step(`${where} background: ${block.code.trim()}`, async () => {
          const proc = startProcess('bash', ['-c', ports(block.code)], {
            cwd,
            env: {
              ...strangerEnvOverrides(),
              SOKETI_PORT: String(soketiPort),
              SOKETI_METRICS_SERVER_PORT: String(await getFreePort()),
            },
          })
          background.push(proc)
          const port = /soketi/.test(block.code) ? soketiPort : appPort
          try {
            await waitForHttp(`http://127.0.0.1:${port}/`, 60_000)
          } catch (error) {
            throw new Error(`${error instanceof Error ? error.message : error}\n${proc.output()}`)
          }
          console.log(`listening on 127.0.0.1:${port}`)
        })
      } else if (block.lang === 'json' && block.info.startsWith('merge=')) {
        const file = block.info.slice('merge='.length)
        await step(`${where} merge into ${file}`, () => {
          const target = JSON.parse(readFileSync(join(cwd, file), 'utf8')) as Record<
            string,
            unknown
          >
          deepMerge(target, JSON.parse(block.code) as Record<string, unknown>)
          writeFileSync(join(cwd, file), `${JSON.stringify(target, null, 2)}\n`)
          console.log(`${file}: ${Object.keys(JSON.parse(block.code)).join(', ')} merged`)
        })
      } else if (block.lang === 'js' && block.info.startsWith('file=')) {
        const file = block.info.slice('file='.length)
        await step(`${where} write ${file}`, () => {
          writeFileSync(join(cwd, file), ports(block.code))
          console.log(`${file}: ${block.code.split('\n').length} lines`)
        })
      }
    }
  } finally {
    for (const proc of background.reverse()) await proc.stop()
  }
}
