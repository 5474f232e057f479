import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, workspacePaths } from './code-blocks.js'

const typedoc = JSON.parse(readFileSync(join(repoRoot, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[]
  projectDocuments: string[]
  treatWarningsAsErrors: boolean
  excludeInternal: boolean
  validation: { notDocumented: boolean }
}

describe('typedoc.json', () => {
  it('documents every public entry point: one per exports subpath of the three packages', () => {
    const fromExports = Object.values(workspacePaths())
      .flat()
      .map((file) => relative(repoRoot, file))
      .sort()
    expect([...typedoc.entryPoints].sort()).toEqual(fromExports)
  })

  it('fails on warnings, requires TSDoc on exports, hides internals and renders the guides', () => {
    expect(typedoc.treatWarningsAsErrors).toBe(true)
    expect(typedoc.validation.notDocumented).toBe(true)
    expect(typedoc.excludeInternal).toBe(true)
    expect(typedoc.projectDocuments).toContain('docs/*.md')
  })
})
