/**
 * `pnpm --filter @presence/example-chrome-extension dev`: soketi on 127.0.0.1:6001, the backend
 * on 127.0.0.1:3000 in demo mode (SQLite in data/dev.db with the demo accounts, debug traces on),
 * the extension built into extension/dist, and a Bearer token printed for each demo user.
 * Ctrl-C stops everything. Production uses `start` instead (see the README's "Deploying").
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startSoketi } from '@presence/testing'
import { buildExtension } from '../src/build.js'
import { signIn } from '../src/client/sign-in.js'
import { EXTENSION_ORIGIN } from '../src/extension-id.js'
import { createBackend } from '../src/server/app.js'
import { DEMO } from '../src/server/demo-data.js'

const dataDir = fileURLToPath(new URL('../data/', import.meta.url))
mkdirSync(dataDir, { recursive: true })

const port = Number(process.env.PORT ?? 3000)
const soketi = await startSoketi({ port: Number(process.env.SOKETI_PORT ?? 6001) })
const backend = await createBackend({
  pusher: soketi.pusherOptions,
  // A fresh random secret per run unless one is given: tokens of an earlier run stop working.
  authSecret: process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString('base64url'),
  baseURL: `http://127.0.0.1:${port}`,
  database: `${dataDir}dev.db`,
  demo: true,
  debug: true,
  onDecision: (event) =>
    console.log(
      `auth ${event.channel} → ${event.outcome}${event.code ? ` ${event.code}` : ''} (${event.userId ?? 'anonymous'}, ${event.durationMs.toFixed(1)} ms)`,
    ),
})
const server = await backend.listen(port)
const extensionDir = await buildExtension()
const demo = backend.demo
if (!demo) throw new Error('demo mode created no demo data')

const tokenOf = async (user: keyof typeof DEMO.users, organizationId?: string) =>
  (
    await signIn(
      server.url,
      { email: DEMO.users[user].email, password: DEMO.password },
      organizationId,
    )
  ).token

console.log(`soketi   ${soketi.httpUrl} (key ${soketi.key})`)
console.log(`backend  ${server.url} (CORS: ${EXTENSION_ORIGIN}, demo mode)`)
console.log(`extension: chrome://extensions → Developer mode → Load unpacked → ${extensionDir}`)
console.log(
  `\nDemo accounts (password ${DEMO.password}): ${Object.values(DEMO.users)
    .map((u) => u.email)
    .join(', ')}`,
)
console.log('Paste a token and a session id into the popup:')
console.log(`  alice (org Acme): ${await tokenOf('alice', demo.organization)}`)
console.log(`  bob   (org Acme): ${await tokenOf('bob', demo.organization)}`)
console.log(`  carol (personal): ${await tokenOf('carol')}`)
console.log(`sessions: ${Object.values(DEMO.sessions).join(', ')}`)
console.log(
  `\nUpdate a session (as its owner): curl -X PATCH ${server.url}/api/sessions/${DEMO.sessions.alice} -H "authorization: Bearer <alice's token>" -H 'content-type: application/json' -d '{"status":"done"}'`,
)

const stop = async () => {
  await server.close()
  backend.close()
  await soketi.stop()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
