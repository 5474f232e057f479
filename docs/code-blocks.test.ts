import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { extractCodeBlocks, guideFiles, repoRoot, typecheckBlocks } from './code-blocks.js'

const blocks = guideFiles().flatMap((file) =>
  extractCodeBlocks(readFileSync(join(repoRoot, file), 'utf8'), file),
)
const checked = typecheckBlocks(blocks)

describe('guide code blocks type-check against the packages', () => {
  it('finds code blocks in the guides', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  for (const { block, diagnostics } of checked) {
    it(`${block.file}:${block.line} (${block.lang})`, () => {
      expect(diagnostics).toEqual([])
    })
  }
})

describe('the checker itself', { timeout: 60_000 }, () => {
  it('reports a diagnostic for a broken block (wrong API use, wrong types)', () => {
    const markdown = [
      '# A broken guide',
      '',
      '```ts',
      "import { parseChannel } from '@presence/server'",
      "const channel: number = parseChannel('presence-messenger')",
      'export { channel }',
      '```',
      '',
    ].join('\n')
    const [result] = typecheckBlocks(extractCodeBlocks(markdown, 'docs/broken.md'))
    expect(result?.block.line).toBe(3)
    expect(result?.diagnostics).toEqual([
      expect.stringMatching(/TS2322: Type .* is not assignable/),
    ])
  })

  it('reports an import of a name the package does not export', () => {
    const markdown = "```ts\nimport { notAnExport } from '@presence/server'\nnotAnExport()\n```\n"
    const [result] = typecheckBlocks(extractCodeBlocks(markdown, 'docs/broken.md'))
    expect(result?.diagnostics.join('\n')).toMatch(
      /TS2305: Module '"@presence\/server"' has no exported member 'notAnExport'/,
    )
  })

  it('accepts a correct block and skips blocks fenced as ignore or in other languages', () => {
    const markdown = [
      '```ts',
      "import { parseChannel } from '@presence/server'",
      "export const feature: string | undefined = parseChannel('presence-messenger').feature",
      '```',
      '```ts ignore',
      'this is not TypeScript',
      '```',
      '```sh',
      'pnpm demo',
      '```',
    ].join('\n')
    const extracted = extractCodeBlocks(markdown, 'docs/ok.md')
    expect(extracted.map((b) => b.line)).toEqual([1])
    expect(typecheckBlocks(extracted)).toEqual([{ block: extracted[0], diagnostics: [] }])
  })

  it('keeps a module augmentation inside the blocks of its own program=<name>', () => {
    const augmentation = [
      "import type {} from '@presence/server'",
      "declare module '@presence/server' {",
      '  interface Register {',
      '    session: { userId: string; name: number }',
      '  }',
      '}',
    ]
    const markdown = [
      '```ts program=typed',
      ...augmentation,
      '```',
      '```ts program=typed',
      "import type { Session } from '@presence/server'",
      'export const name: number = ({} as { name: number } & Session).name',
      '```',
      '```ts',
      "import { createPresenceServer } from '@presence/server'",
      'export const create = createPresenceServer',
      '```',
    ].join('\n')
    const extracted = extractCodeBlocks(markdown, 'docs/typed.md')
    expect(extracted.map((b) => b.program)).toEqual(['typed', 'typed', undefined])
    const checked = typecheckBlocks(extracted)
    expect(checked.map((c) => c.diagnostics)).toEqual([[], [], []])
    // The same augmentation in an unmarked block would reach the default program: a conflicting
    // one in another unmarked block then fails, which is what the grouping prevents.
    const clash = [
      '```ts',
      ...augmentation,
      '```',
      '```ts',
      "import type {} from '@presence/server'",
      "declare module '@presence/server' {",
      '  interface Register {',
      '    session: { userId: string; name: string }',
      '  }',
      '}',
      '```',
    ].join('\n')
    const clashing = typecheckBlocks(extractCodeBlocks(clash, 'docs/clash.md'))
    expect(clashing.flatMap((c) => c.diagnostics).join('\n')).toMatch(/TS2717/)
  })
})

describe('every checked page says how its code blocks are checked', () => {
  const pages = [...new Set(blocks.map((block) => block.file))]
  for (const file of pages) {
    it(file, () => {
      expect(readFileSync(join(repoRoot, file), 'utf8')).toMatch(/How this page is checked/)
    })
  }
})
