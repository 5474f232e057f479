import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// STYLE.md 1: the core imports no framework, and nothing from node: (edge runtimes).
// Bundle each entry and list what it still imports from outside.
async function externalImports(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    packages: 'external',
    conditions: ['source'],
    external: ['node:*'],
    logLevel: 'silent',
  })
  const imports = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((item) => item.external).map((item) => item.path),
  )
  return [...new Set(imports)].sort()
}

describe('module boundaries', () => {
  it('the core entry imports no framework and no node: module', async () => {
    expect(await externalImports('./index.ts')).toEqual([])
  }, 30_000)

  it('the adapters import only node:http types and nothing from express at runtime', async () => {
    expect(await externalImports('./node.ts')).toEqual([])
    expect(await externalImports('./express.ts')).toEqual([])
  }, 30_000)

  it('no entry reaches an optional peer except the Auth.js and NextAuth entries, each only its own', async () => {
    expect(await externalImports('./session/index.ts')).toEqual(['jose'])
    expect(await externalImports('./cache/index.ts')).toEqual(['lru-cache'])
    expect(await externalImports('./session/auth-js.ts')).toEqual(['@auth/core'])
    expect(await externalImports('./session/next-auth.ts')).toEqual(['next-auth/next'])
  }, 30_000)
})
