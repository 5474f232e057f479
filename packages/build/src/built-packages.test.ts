import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildablePackages, staleReason } from './built-packages.js'

const manifest = {
  name: '@fixture/pkg',
  scripts: { build: 'tsup' },
  exports: { '.': { source: './src/index.ts', import: './dist/index.js' } },
}

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** A package folder whose files carry the given ages (seconds before now). */
function fixture(files: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'built-packages-'))
  folders.push(dir)
  const now = Date.now() / 1000
  for (const [file, age] of Object.entries({ 'package.json': 1000, ...files })) {
    const path = join(dir, file)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, file === 'package.json' ? JSON.stringify(manifest) : '')
    utimesSync(path, now - age, now - age)
  }
  return dir
}

describe('staleReason', () => {
  it('asks for a build when dist is missing (a fresh clone)', () => {
    const dir = fixture({ 'src/index.ts': 100 })
    expect(staleReason({ dir, manifest })).toBe('no dist yet')
  })

  it('asks for a build when an entry point of package.json is missing', () => {
    const dir = fixture({ 'src/index.ts': 100, 'dist/chunk.js': 10 })
    expect(staleReason({ dir, manifest })).toBe('./dist/index.js missing')
  })

  it('asks for a build when a source file is newer than dist', () => {
    const dir = fixture({ 'src/index.ts': 5, 'dist/index.js': 10 })
    expect(staleReason({ dir, manifest })).toBe('sources changed since the last build')
  })

  it('compares with the oldest file of dist', () => {
    const dir = fixture({ 'src/deep/a.ts': 15, 'dist/index.js': 20, 'dist/index.d.ts': 10 })
    expect(staleReason({ dir, manifest })).toBe('sources changed since the last build')
  })

  it('asks for a build when the tsup configuration changed', () => {
    const dir = fixture({ 'src/index.ts': 100, 'tsup.config.ts': 5, 'dist/index.js': 10 })
    expect(staleReason({ dir, manifest })).toBe('sources changed since the last build')
  })

  it('ignores tests changed after the build', () => {
    const dir = fixture({
      'src/index.ts': 100,
      'src/index.test.ts': 5,
      'src/types.test-d.ts': 5,
      'src/a.integration.test.tsx': 5,
      'dist/index.js': 10,
    })
    expect(staleReason({ dir, manifest })).toBeNull()
  })
})

describe('buildablePackages', () => {
  it('orders a package after the workspace packages it depends on', () => {
    const names = buildablePackages().map((pkg) => pkg.name)
    expect(names).toEqual(expect.arrayContaining(['@presence/client', '@presence/react']))
    expect(names.indexOf('@presence/client')).toBeLessThan(names.indexOf('@presence/react'))
    expect(names).not.toContain('@presence/testing')
  })
})
