/**
 * `pnpm lint` runs dependency-cruiser with the repository's
 * `.dependency-cruiser.cjs`: the server's layers import only downward. This
 * test runs that same command on the real sources (clean) and on a copy of
 * two real files where a lower layer imports a higher one (refused).
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const config = join(root, '.dependency-cruiser.cjs')
const depcruise = join(root, 'node_modules/.bin/depcruise')
const lintLayers: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts[
  'lint:layers'
]

function run(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      depcruise,
      ['packages/server/src', '--config', config],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

const fixture = mkdtempSync(join(tmpdir(), 'presence-layers-'))
afterAll(() => rmSync(fixture, { recursive: true, force: true }))

describe('layering (pnpm lint)', () => {
  it('lint runs the layer check with this configuration', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.lint).toContain(
      'pnpm lint:layers',
    )
    expect(lintLayers).toMatch(
      /^depcruise packages\/server\/src .*--config .dependency-cruiser.cjs$/,
    )
  })

  it('passes on the real sources', async () => {
    const { code, output } = await run(root)
    expect(output).toContain('no dependency violations found')
    expect(code).toBe(0)
  }, 60_000)

  it('fails on an upward import: channel/ importing from handlers/', async () => {
    const src = join(fixture, 'packages/server/src')
    mkdirSync(join(src, 'channel'), { recursive: true })
    mkdirSync(join(src, 'handlers'), { recursive: true })
    cpSync(join(root, 'packages/server/src/errors.ts'), join(src, 'errors.ts'))
    cpSync(join(root, 'tsconfig.base.json'), join(fixture, 'tsconfig.base.json'))
    writeFileSync(
      join(src, 'handlers/answer.ts'),
      'export interface HttpAnswer { status: number; body: string }\n',
    )
    writeFileSync(
      join(src, 'channel/name.ts'),
      "import { PresenceError } from '../errors.js'\nimport type { HttpAnswer } from '../handlers/answer.js'\n" +
        'export const refuse = (): HttpAnswer => ({ status: 400, body: new PresenceError("BAD_REQUEST").code })\n',
    )
    const { code, output } = await run(fixture)
    expect(code).not.toBe(0)
    expect(output).toContain(
      'layer-channel: packages/server/src/channel/name.ts → packages/server/src/handlers/answer.ts',
    )
    // The downward import in the same file is allowed.
    expect(output).not.toContain('channel/name.ts → packages/server/src/errors.ts')
  }, 60_000)
})
