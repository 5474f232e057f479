#!/usr/bin/env node
// Compiles better-sqlite3 (the one ABI-specific addon the tests load, besides soketi's
// uWebSockets.js, which keeps running on the machine's Node) for another Node, from the sources
// in its npm package and the headers in that Node's npm package — no download.
//
//   node packages/testing/native/build-native.mjs <node binary> <out dir>
//
// Writes <out dir>/node-v<abi>/better_sqlite3.node; native/preload.cjs loads it on that Node.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const [nodeBinary, outDir] = process.argv.slice(2)
if (!nodeBinary || !outDir) {
  console.error('usage: build-native.mjs <node binary> <out dir>')
  process.exit(2)
}

/** The folder holding include/node/ for a Node installed from the `node` npm package. */
function headersOf(binary) {
  const pending = [dirname(dirname(realpathSync(binary)))]
  for (let depth = 0; depth < 4 && pending.length > 0; depth++) {
    const next = []
    for (const dir of pending) {
      if (existsSync(join(dir, 'include', 'node', 'node_version.h'))) return dir
      if (!existsSync(dir)) continue
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && entry.name !== 'include') next.push(join(dir, entry.name))
      }
    }
    pending.splice(0, pending.length, ...next)
  }
  throw new Error(`no include/node/node_version.h near ${binary}`)
}

const abi = execFileSync(nodeBinary, ['-p', 'process.versions.modules'], {
  encoding: 'utf8',
}).trim()
const target = join(outDir, `node-v${abi}`, 'better_sqlite3.node')
if (existsSync(target)) {
  console.log(`better-sqlite3 for ABI ${abi} already built: ${target}`)
  process.exit(0)
}
const require = createRequire(join(process.cwd(), 'package.json'))
const source = dirname(require.resolve('better-sqlite3/package.json'))
// node-gyp as bundled with npm (npm/bin/npm-cli.js → npm/node_modules/node-gyp).
const npm = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())
const gyp = join(dirname(dirname(npm)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
const work = mkdtempSync(join(tmpdir(), 'better-sqlite3-'))
try {
  for (const part of ['binding.gyp', 'deps', 'src', 'package.json']) {
    cpSync(join(source, part), join(work, part), { recursive: true })
  }
  const started = Date.now()
  execFileSync(
    nodeBinary,
    [
      gyp,
      'rebuild',
      '--release',
      '--loglevel=warn',
      `--nodedir=${headersOf(nodeBinary)}`,
      '-j',
      '2',
    ],
    // -O0: the tests need a working SQLite, not a fast one, and an optimized build of the
    // amalgamation takes minutes of CPU.
    {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CFLAGS: '-O0', CXXFLAGS: '-O0' },
    },
  )
  mkdirSync(dirname(target), { recursive: true })
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target)
  console.log(
    `better-sqlite3 for ABI ${abi} built in ${Math.round((Date.now() - started) / 1000)}s: ${target}`,
  )
} finally {
  rmSync(work, { recursive: true, force: true })
}
