#!/usr/bin/env node
// @ts-check
/**
 * `pnpm smoke:consumer`: installs the packed tarballs of the public packages into a fresh
 * project outside the repository (npm, with pusher-js, react and the `pusher` SDK from the
 * registry) and uses them the way users will:
 * - ESM (`import`) and CommonJS (`require`): every exports subpath loads; `parseChannel`
 *   splits a name; `createSigner` signs byte-identically to the `pusher` SDK; a
 *   `createPresenceServer` auth handler answers a real `Request`; the React hooks render on the
 *   server inside `PresenceProvider`.
 * - TypeScript: the same calls type-check under `moduleResolution` node16 (an `.mts` and a
 *   `.cts` file) and bundler.
 * Needs `pnpm build` first. Exits 1 on any failure.
 * @module
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readPackedManifest } from './src/tarball.mjs'
import { packPackage, publicPackages, repoRoot } from './src/workspace.mjs'

const keep = process.argv.includes('--keep')
const project = mkdtempSync(join(tmpdir(), 'presence-consumer-'))
/** @type {string[]} */
const failures = []

try {
  console.log(`consumer project: ${project}`)
  const tarballDir = join(project, 'tarballs')
  mkdirSync(tarballDir)
  const packed = publicPackages().map((pkg) => {
    const tgz = packPackage(pkg, tarballDir)
    return { name: pkg.name, tgz, manifest: readPackedManifest(tgz) }
  })
  /** Every import specifier the packages publish (from the packed exports maps). */
  const specifiers = packed.flatMap(({ name, manifest }) =>
    Object.keys(manifest.exports ?? {})
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`)),
  )
  console.log(`specifiers: ${specifiers.join(', ')}`)

  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'presence-consumer', private: true, type: 'module' }, null, 2),
  )
  step('npm install', 'npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...packed.map((p) => p.tgz),
    'pusher-js@^8',
    'pusher@^5',
    'react@^19',
    'react-dom@^19',
    '@types/react@^19',
    '@types/react-dom@^19',
    '@types/node@^20',
  ])

  const files = consumerFiles(specifiers)
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text)

  step('ESM (import)', process.execPath, ['esm.mjs'])
  step('CommonJS (require)', process.execPath, ['cjs.cjs'])
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc')
  step('TypeScript, moduleResolution node16', process.execPath, [tsc, '-p', 'tsconfig.node16.json'])
  step('TypeScript, moduleResolution bundler', process.execPath, [
    tsc,
    '-p',
    'tsconfig.bundler.json',
  ])
} catch (error) {
  failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error))
  console.log(`FAIL ${failures.at(-1)}`)
} finally {
  if (keep) console.log(`kept ${project}`)
  else rmSync(project, { recursive: true, force: true })
}

console.log(
  failures.length === 0
    ? 'smoke:consumer: ok (ESM, CommonJS, TypeScript node16 + bundler)'
    : `smoke:consumer: ${failures.length} failure(s)`,
)
process.exit(failures.length === 0 ? 0 : 1)

/**
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 */
function step(name, command, args) {
  const res = spawnSync(command, args, { cwd: project, encoding: 'utf8', timeout: 300_000 })
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim()
  if (res.status === 0) {
    console.log(`ok   ${name}${output ? `\n${indent(output)}` : ''}`)
  } else {
    failures.push(name)
    console.log(`FAIL ${name} (exit ${res.status ?? res.signal})\n${indent(output)}`)
  }
}

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n')
}

/**
 * The consumer's source files. The runtime checks are shared by ESM and CJS: `load` is
 * `import()` or `require`.
 * @param {string[]} specifiers
 * @returns {Record<string, string>}
 */
function consumerFiles(specifiers) {
  const checks = `
async function checks(load) {
  const assert = await load('node:assert/strict')
  const { createHmac } = await load('node:crypto')
  const specifiers = ${JSON.stringify(specifiers)}
  for (const specifier of specifiers) {
    const mod = await load(specifier)
    assert.ok(Object.keys(mod).length > 0, specifier + ' exports nothing')
  }
  const server = await load('@presence/server')
  const parsed = server.parseChannel('private-stream@42')
  assert.equal(parsed.type, 'private')
  assert.equal(parsed.feature, 'stream')
  assert.equal(parsed.objectId, '42')

  const Pusher = (m => m.default ?? m)(await load('pusher'))
  const pusher = new Pusher({ appId: '1', key: 'app-key', secret: 'app-secret', cluster: 'mt1' })
  const signer = server.createSigner({ key: 'app-key', secret: 'app-secret' })
  const ours = await signer.signChannel('123.456', 'private-orders')
  assert.deepEqual(ours, pusher.authorizeChannel('123.456', 'private-orders'))
  const expected = createHmac('sha256', 'app-secret').update('123.456:private-orders').digest('hex')
  assert.equal(ours.auth, 'app-key:' + expected)

  const presence = server.createPresenceServer({
    signer,
    session: () => ({ userId: 'alice' }),
    channels: {
      'private-orders': () => true,
      'presence-room': ({ user }) => ({ user_id: user.userId, user_info: { name: 'Alice' } }),
    },
  })
  const answer = await presence.handlers.auth(
    new Request('http://localhost/api/pusher/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'socket_id=123.456&channel_name=presence-room',
    }),
  )
  assert.equal(answer.status, 200)
  const body = await answer.json()
  assert.deepEqual(JSON.parse(body.channel_data), { user_id: 'alice', user_info: { name: 'Alice' } })
  assert.equal(body.auth, pusher.authorizeChannel('123.456', 'presence-room', JSON.parse(body.channel_data)).auth)

  const client = await load('@presence/client')
  assert.equal(typeof client.createPresenceClient, 'function')
  const react = await load('@presence/react')
  const { createElement } = await load('react')
  const { renderToString } = await load('react-dom/server')
  for (const hook of ['usePresence', 'useMembers', 'useChannel', 'useEvent', 'useConnectionState']) {
    assert.equal(typeof react[hook], 'function', hook)
  }
  assert.equal(typeof react.PresenceProvider, 'function')
  // Server rendering inside the provider: every hook answers its idle state, no socket opens.
  function Room() {
    const presence = react.usePresence('presence-room')
    return createElement('p', null, presence.status + ':' + presence.count)
  }
  const html = renderToString(
    createElement(
      react.PresenceProvider,
      {
        options: {
          pusher: { key: 'app-key', cluster: 'mt1', wsHost: '127.0.0.1', wsPort: 9, forceTLS: false },
          auth: { endpoint: 'http://127.0.0.1:9/auth' },
        },
      },
      createElement(Room),
    ),
  )
  assert.equal(html, '<p>idle:0</p>')
  return specifiers.length
}
`
  const esm = `${checks}
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const n = await checks(async (s) => (s.startsWith('node:') ? require(s) : import(s)))
console.log('ESM: ' + n + ' entry points loaded, server/signer/handler/hooks checks passed')
`
  const cjs = `${checks}
checks(require).then((n) => {
  console.log('CJS: ' + n + ' entry points loaded, server/signer/handler/hooks checks passed')
}, (error) => {
  console.error(error)
  process.exit(1)
})
`
  /** @param {string} ext */
  const typed = (
    ext,
  ) => `import { createPresenceServer, createSigner, parseChannel, type ParsedChannel } from '@presence/server'
import type { SessionAdapter } from '@presence/server'
import { createPresenceClient, type MemberSnapshot, type PresenceClient } from '@presence/client'
import { PresenceProvider, usePresence } from '@presence/react'

const parsed: ParsedChannel = parseChannel('presence-messenger')
const session: SessionAdapter = () => ({ userId: 'alice' })
const server = createPresenceServer({
  signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
  session,
  channels: {
    'private-orders': () => true,
    'presence-room': ({ user }) => ({ user_id: user!.userId, user_info: {} }),
  },
})
const handler: (request: Request) => Promise<Response> = server.handlers.auth
const make: (options: Parameters<typeof createPresenceClient>[0]) => PresenceClient = createPresenceClient
function useRoomCount(): number {
  const snapshot: MemberSnapshot = usePresence('presence-room')
  return snapshot.count
}
export const exported${ext} = { parsed, handler, make, useRoomCount, PresenceProvider }
`
  /** @type {(module: string, moduleResolution: string, include: string[]) => string} */
  const tsconfig = (module, moduleResolution, include) =>
    JSON.stringify(
      {
        compilerOptions: {
          module,
          moduleResolution,
          target: 'ES2022',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          jsx: 'react-jsx',
        },
        include,
      },
      null,
      2,
    )
  return {
    'esm.mjs': esm,
    'cjs.cjs': cjs,
    'node16.mts': typed('Esm'),
    'node16.cts': typed('Cjs'),
    'bundler.ts': typed('Bundler'),
    'tsconfig.node16.json': tsconfig('node16', 'node16', ['node16.mts', 'node16.cts']),
    'tsconfig.bundler.json': tsconfig('esnext', 'bundler', ['bundler.ts']),
  }
}
