/**
 * `pnpm lint` runs dependency-cruiser with the repository's `.dependency-cruiser.cjs` on the
 * client and React sources too: each layer imports only downward, no module sits outside a
 * layer, and no modules import each other in a circle. This test runs that check on the real
 * sources (clean) and on copies where a building block imports the client (upward), where
 * the error module reaches back to itself through the types (a cycle), and where a React
 * store reader imports a hook built on it.
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
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts

function run(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      depcruise,
      ['packages/client/src', 'packages/react/src', '--config', config],
      { cwd, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

/** A copy of the repository's tsconfig and of some real sources, under a fresh root. */
function fixture(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'presence-client-layers-'))
  fixtures.push(dir)
  cpSync(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'))
  for (const pkg of ['client', 'react'])
    mkdirSync(join(dir, `packages/${pkg}/src`), { recursive: true })
  for (const [path, text] of Object.entries(files)) {
    if (text === null) cpSync(join(root, path), join(dir, path))
    else writeFileSync(join(dir, path), text)
  }
  return dir
}
const fixtures: string[] = []
afterAll(() => {
  for (const dir of fixtures) rmSync(dir, { recursive: true, force: true })
})

describe('client and react layering (pnpm lint)', () => {
  it('lint checks the client and react sources with this configuration', () => {
    expect(scripts.lint).toContain('pnpm lint:layers')
    expect(scripts['lint:layers']).toContain('packages/client/src')
    expect(scripts['lint:layers']).toContain('packages/react/src')
    expect(scripts['lint:layers']).toContain('--config .dependency-cruiser.cjs')
  })

  it('passes on the real sources', async () => {
    const { code, output } = await run(root)
    expect(output).toContain('no dependency violations found')
    expect(code).toBe(0)
  }, 60_000)

  it('fails on an upward import: the store importing the client', async () => {
    const dir = fixture({
      'packages/client/src/errors.ts': 'export const fail = (code: string) => new Error(code)\n',
      'packages/client/src/client.ts':
        "import { fail } from './errors.js'\nexport const createClient = () => fail('INVALID_OPTIONS')\n",
      'packages/client/src/store.ts':
        "import { createClient } from './client.js'\nexport const createStore = () => createClient()\n",
    })
    const { code, output } = await run(dir)
    expect(code).not.toBe(0)
    expect(output).toContain(
      'client-layer-blocks: packages/client/src/store.ts → packages/client/src/client.ts',
    )
    // The downward import of the client is allowed.
    expect(output).not.toContain('client.ts → packages/client/src/errors.ts')
  }, 60_000)

  it('fails on a cycle: errors → types → validate → errors', async () => {
    const dir = fixture({
      'packages/client/src/errors.ts':
        "import type { Code } from './types.js'\nexport class PresenceClientError extends Error { code?: Code }\n",
      'packages/client/src/types.ts':
        "import type { Schemas } from './validate.js'\nexport type Code = string\nexport interface Options { schemas?: Schemas }\n",
      'packages/client/src/validate.ts':
        "import type { PresenceClientError } from './errors.js'\nexport type Schemas = Record<string, (e: PresenceClientError) => void>\n",
    })
    const { code, output } = await run(dir)
    expect(code).not.toBe(0)
    expect(output).toContain('client-no-circular')
  }, 60_000)

  it('fails on an upward import in react: the store reader importing a hook', async () => {
    const dir = fixture({
      'packages/react/src/useMembers.ts': 'export const useMembers = () => 1\n',
      'packages/react/src/useStore.ts':
        "import { useMembers } from './useMembers.js'\nexport const useStore = () => useMembers()\n",
    })
    const { code, output } = await run(dir)
    expect(code).not.toBe(0)
    expect(output).toContain(
      'react-layer-access: packages/react/src/useStore.ts → packages/react/src/useMembers.ts',
    )
  }, 60_000)
})
