import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot, workspacePaths } from './code-blocks.js'

const typedoc = JSON.parse(readFileSync(join(repoRoot, 'typedoc.json'), 'utf8')) as {
  entryPoints: string[]
  readme: string
  projectDocuments: string[]
  customCss: string
  treatWarningsAsErrors: boolean
  excludeInternal: boolean
  sort: string[]
  validation: { notDocumented: boolean }
}

/** The guides in reading order: the order of the site's navigation. */
const READING_ORDER = [
  'getting-started',
  'nextjs',
  'batch-auth',
  'chrome-extension',
  'debugging-403',
  'reconnecting',
  'scaling-out',
  'runtimes',
  'migrating',
  'benchmarks',
].map((name) => `docs/${name}.md`)

describe('typedoc.json', () => {
  it('documents every public entry point: one per exports subpath of the three packages', () => {
    const fromExports = Object.values(workspacePaths())
      .flat()
      .map((file) => relative(repoRoot, file))
      .sort()
    expect([...typedoc.entryPoints].sort()).toEqual(fromExports)
  })

  it('fails on warnings, requires TSDoc on exports and hides internals', () => {
    expect(typedoc.treatWarningsAsErrors).toBe(true)
    expect(typedoc.validation.notDocumented).toBe(true)
    expect(typedoc.excludeInternal).toBe(true)
  })

  it('opens on a landing page written for users, not the repository README', () => {
    expect(typedoc.readme).toBe('docs/index.md')
    const landing = readFileSync(join(repoRoot, typedoc.readme), 'utf8')
    const headings = [...landing.matchAll(/^## (.+)$/gm)].map((match) => match[1])
    expect(headings).toEqual(['Quick start', 'Where to go next'])
    expect(landing.match(/^\*\*\d\. /gm)).toHaveLength(3)
    expect(existsSync(join(repoRoot, typedoc.customCss))).toBe(true)
  })

  it('lists the guides in reading order, Getting started first, and nothing for contributors', () => {
    expect(typedoc.projectDocuments).toEqual(READING_ORDER)
    // documents keep the order they are listed in
    expect(typedoc.sort).toContain('alphabetical-ignoring-documents')
    expect(typedoc.projectDocuments.join()).not.toMatch(/CONTRIBUTING|README/)
  })

  it('renders every guide of docs/: a new guide must be placed in the reading order', () => {
    const guides = readdirSync(join(repoRoot, 'docs'))
      .filter((name) => name.endsWith('.md') && name !== 'index.md')
      .map((name) => `docs/${name}`)
    expect([...guides].sort()).toEqual([...READING_ORDER].sort())
  })
})
