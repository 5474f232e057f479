import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as React from 'react'
import { describe, expect, it } from 'vitest'

const srcDir = fileURLToPath(new URL('.', import.meta.url))
const sources = readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !/\.test(-d)?\./.test(f))

/** Every module specifier a source file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const code = readFileSync(`${srcDir}/${file}`, 'utf8')
  const found = [
    ...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ]
  return found.map((m) => m[1] as string)
}

describe('the core imports no framework', () => {
  it('runs with react stubbed to an empty module', () => {
    // vitest.workspace.ts aliases `react` to packages/client/test/react-stub.ts for the client projects.
    expect(Object.keys(React)).toEqual([])
  })

  it('imports only its own files, pusher-js and the Standard Schema types', () => {
    expect(sources).toContain('client.ts')
    const external = sources.flatMap((f) =>
      specifiers(f)
        .filter((s) => !s.startsWith('./'))
        .map((s) => `${f} → ${s}`),
    )
    expect(external.length).toBeGreaterThan(0)
    expect(
      external.filter(
        (e) => !e.endsWith(' → pusher-js') && !e.endsWith(' → @standard-schema/spec'),
      ),
    ).toEqual([])
    // `@standard-schema/spec` is an interface: imported as a type only, it is erased.
    const schemaImports = sources.flatMap(
      (f) =>
        readFileSync(`${srcDir}/${f}`, 'utf8').match(/^import .*'@standard-schema\/spec'/gm) ?? [],
    )
    expect(schemaImports.length).toBeGreaterThan(0)
    expect(schemaImports.every((line) => line.startsWith('import type '))).toBe(true)
    // Type-only imports of pusher-js are erased; only index.ts loads it at runtime.
    const runtime = sources.flatMap((f) =>
      (
        readFileSync(`${srcDir}/${f}`, 'utf8').match(/^import (?!type )[^\n]*from 'pusher-js'/gm) ??
        []
      ).map(() => f),
    )
    expect(runtime).toEqual(['index.ts'])
  })

  it('loads both entries and creates a client without React', async () => {
    const core = await import('./core.js')
    const index = await import('./index.js')
    expect(typeof core.createPresenceClient).toBe('function')
    expect(typeof index.createPresenceClient).toBe('function')
    expect(index.PresenceClientError).toBe(core.PresenceClientError)
  })
})
