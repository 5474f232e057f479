import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from './code-blocks.js'
import { auditTsdoc } from './tsdoc-audit.js'

describe('TSDoc of the public API', { timeout: 120_000 }, () => {
  it('has an @example on every factory, adapter and hook, and a @default on every option', () => {
    expect(auditTsdoc()).toEqual([])
  })

  describe('the audit itself', () => {
    const dir = join(repoRoot, 'docs', '.tsdoc-audit')
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('reports a factory without @example and an option without @default', () => {
      mkdirSync(dir, { recursive: true })
      const file = join(dir, 'sample.ts')
      writeFileSync(
        file,
        [
          '/** Options. */',
          'export interface SampleOptions {',
          '  /** Documented. @default 3 */',
          '  retries?: number',
          '  /** No default stated. */',
          '  timeoutMs?: number',
          '  /** Required: needs no default. */',
          '  url: string',
          '}',
          '/** Creates a sample, without an example. */',
          'export function createSample(options: SampleOptions): SampleOptions {',
          '  return options',
          '}',
          '/**',
          ' * A hook with an example.',
          ' * @example',
          " * useSample('x')",
          ' */',
          'export function useSample(name: string): string {',
          '  return name',
          '}',
          '',
        ].join('\n'),
      )
      expect(auditTsdoc({ '@presence/sample': file })).toEqual([
        '@presence/sample: SampleOptions.timeoutMs: optional, no @default',
        '@presence/sample: createSample: no @example',
      ])
    })
  })
})
