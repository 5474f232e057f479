import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFiles, findInText, userFacingFiles } from './vocabulary.mjs'

describe('vocabulary check', () => {
  it('finds planning seeds and issue numbers, with their position', () => {
    const text = [
      '# Guide',
      'Seed 001 batches.',
      "as in seed 002's route (issue 3)",
      'issue #12',
    ].join('\n')
    expect(findInText(text, 'docs/x.md').map((f) => [f.line, f.column, f.match])).toEqual([
      [2, 1, 'Seed 001'],
      [3, 7, 'seed 002'],
      [3, 25, 'issue 3'],
      [4, 1, 'issue #12'],
    ])
    expect(findInText("in the seed's order", 'a.ts').map((f) => f.match)).toEqual(["the seed's"])
  })

  it('leaves product words alone: database seeding, issues without numbers', () => {
    const text = [
      'seedDemoData() seeds the database; see src/store/seed.ts',
      'the seed data is reset on start',
      'open an issue on GitHub if this fails',
    ].join('\n')
    expect(findInText(text, 'a.ts')).toEqual([])
  })

  it('checks what users read and skips tests, builds and dependencies', () => {
    expect(
      userFacingFiles([
        'README.md',
        'docs/nextjs.md',
        'docs/code-blocks.ts',
        'packages/server/src/channel.ts',
        'packages/server/src/channel.test.ts',
        'packages/server/package.json',
        'packages/server/dist/index.d.ts',
        'examples/nextjs/app/layout.tsx',
        'examples/nextjs/e2e/presence.integration.test.ts',
        'examples/nextjs/tsconfig.json',
        'CONTRIBUTING.md',
      ]),
    ).toEqual([
      'README.md',
      'docs/nextjs.md',
      'packages/server/src/channel.ts',
      'packages/server/package.json',
      'examples/nextjs/app/layout.tsx',
    ])
  })

  it('the lint command fails on a planted occurrence and passes once it is gone', () => {
    const root = mkdtempSync(join(tmpdir(), 'presence-vocabulary-'))
    try {
      mkdirSync(join(root, 'docs'))
      writeFileSync(join(root, 'docs/guide.md'), 'Batching, as in seed 001.\n')
      expect(checkFiles(root, ['docs/guide.md']).map((f) => f.match)).toEqual(['seed 001'])
      writeFileSync(
        join(root, 'docs/guide.md'),
        'Batching, as in a batch authentication service.\n',
      )
      expect(checkFiles(root, ['docs/guide.md'])).toEqual([])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('the repository passes the check (the command `pnpm lint` runs)', () => {
    const script = new URL('../check-vocabulary.mjs', import.meta.url).pathname
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' })
    expect(out).toMatch(/, 0 internal reference\(s\) found/)
  })
})
