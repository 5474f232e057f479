import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { inspectTarball, listTarball, readPackedManifest } from './tarball.mjs'

const goodManifest = {
  name: '@presence/client',
  version: '0.1.0',
  sideEffects: false,
  main: './dist/index.cjs',
  types: './dist/index.d.cts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  dependencies: { '@presence/server': '0.1.0' },
}
const goodFiles = [
  'package/package.json',
  'package/README.md',
  'package/LICENSE',
  'package/CHANGELOG.md',
  'package/dist/index.js',
  'package/dist/index.cjs',
  'package/dist/index.d.ts',
  'package/dist/index.d.cts',
  'package/dist/index.js.map',
]
const expected = { name: '@presence/client', version: '0.1.0' }

describe('inspectTarball', () => {
  it('accepts dist/, README, LICENSE, CHANGELOG and package.json with a publish-ready manifest', () => {
    expect(inspectTarball({ files: goodFiles, manifest: goodManifest }, expected)).toEqual([])
  })

  it('rejects files outside the allowed set (sources, tests, configs)', () => {
    const files = [...goodFiles, 'package/src/index.ts', 'package/tsup.config.ts']
    expect(inspectTarball({ files, manifest: goodManifest }, expected)).toEqual([
      'unexpected file in tarball: package/src/index.ts',
      'unexpected file in tarball: package/tsup.config.ts',
    ])
  })

  it('rejects an exports map that still carries the workspace-only "source" condition', () => {
    const manifest = {
      ...goodManifest,
      exports: { '.': { source: './src/index.ts', ...goodManifest.exports['.'] } },
    }
    const problems = inspectTarball({ files: goodFiles, manifest }, expected)
    expect(problems).toEqual([expect.stringContaining('"source" condition')])
  })

  it('rejects workspace:* dependencies that were not rewritten', () => {
    const manifest = { ...goodManifest, dependencies: { '@presence/server': 'workspace:*' } }
    const problems = inspectTarball({ files: goodFiles, manifest }, expected)
    expect(problems).toEqual([expect.stringContaining('workspace protocol not rewritten')])
  })

  it('rejects export targets and main/types fields that point at missing files', () => {
    const files = goodFiles.filter((f) => f !== 'package/dist/index.d.cts')
    const problems = inspectTarball({ files, manifest: goodManifest }, expected)
    expect(problems).toEqual([
      'exports . > require > types -> ./dist/index.d.cts: file not in tarball',
      '"types": ./dist/index.d.cts is not in tarball',
    ])
  })

  it('rejects a wrong version, a missing dist/ and sideEffects other than false', () => {
    const manifest = { ...goodManifest, version: '0.0.0', sideEffects: true, exports: {} }
    const problems = inspectTarball({ files: ['package/package.json'], manifest }, expected)
    expect(problems).toEqual([
      'tarball holds no dist/ files',
      'version is 0.0.0, expected 0.1.0',
      '"main": ./dist/index.cjs is not in tarball',
      '"types": ./dist/index.d.cts is not in tarball',
      '"sideEffects" is not false',
    ])
  })
})

describe('listTarball / readPackedManifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'presence-tarball-test-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('read the file list and package.json of a real .tgz', () => {
    mkdirSync(join(dir, 'package/dist'), { recursive: true })
    writeFileSync(join(dir, 'package/package.json'), JSON.stringify(goodManifest))
    writeFileSync(join(dir, 'package/dist/index.js'), 'export {}\n')
    const tgz = join(dir, 'pkg.tgz')
    execFileSync('tar', ['-czf', tgz, '-C', dir, 'package'])
    expect(listTarball(tgz).sort()).toEqual(['package/dist/index.js', 'package/package.json'])
    expect(readPackedManifest(tgz)).toEqual(goodManifest)
  })
})
