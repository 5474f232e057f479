import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { guideBlocks } from './guide-app.js'
import { catalog, rewriteManifest } from './outside.js'

describe('outside-in manifests', () => {
  it('reads the catalog of pnpm-workspace.yaml', () => {
    const ranges = catalog()
    expect(ranges.next).toMatch(/^\^16\./)
    expect(ranges['@auth/core']).toMatch(/^\^0\./)
    expect(ranges['pusher-js']).toMatch(/^\^8\./)
  })

  it('points @presence/* at the tarballs, drops workspace-only packages, resolves catalog:', () => {
    const dir = mkdtempSync(join(tmpdir(), 'presence-manifest-'))
    try {
      const file = join(dir, 'package.json')
      writeFileSync(
        file,
        JSON.stringify({
          dependencies: { '@presence/server': 'workspace:*', next: 'catalog:', other: '^1.0.0' },
          devDependencies: { '@presence/testing': 'workspace:*' },
        }),
      )
      const dropped = rewriteManifest(file, { '@presence/server': '/t/presence-server-0.1.0.tgz' })
      expect(dropped).toEqual(['@presence/testing'])
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        dependencies: {
          '@presence/server': 'file:/t/presence-server-0.1.0.tgz',
          next: catalog().next,
          other: '^1.0.0',
        },
        devDependencies: {},
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads the getting-started guide as ordered, runnable blocks', () => {
    const guide = readFileSync(new URL('../../../docs/getting-started.md', import.meta.url), 'utf8')
    const runnable = guideBlocks(guide)
      .filter((b) => /^(run|background|file=|merge=)/.test(b.info))
      .map((b) => `${b.lang} ${b.info}`)
    expect(runnable).toEqual([
      'sh run',
      'json merge=package.json',
      'sh run',
      'sh background',
      'sh run',
      'js file=server.mjs',
      'sh background',
      'js file=token.mjs',
      'js file=try-auth.mjs',
      'sh run',
      'js file=client.mjs',
      'sh run',
    ])
  })
})
