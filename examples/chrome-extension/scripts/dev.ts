/**
 * `pnpm --filter @presence/example-chrome-extension dev`: soketi on 127.0.0.1:6001, the backend
 * on 127.0.0.1:3000 (SQLite in data/dev.db, debug traces on), the extension built into
 * extension/dist, and a Bearer token printed for each demo user. Ctrl-C stops everything.
 */
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startSoketi } from '@presence/testing'
import { buildExtension } from '../src/build.js'
import { EXTENSION_ORIGIN } from '../src/extension-id.js'
import { createBackend } from '../src/server/app.js'
import { DEMO } from '../src/server/demo-data.js'

const dataDir = fileURLToPath(new URL('../data/', import.meta.url))
mkdirSync(dataDir, { recursive: true })

const soketi = await startSoketi({ port: Number(process.env.SOKETI_PORT ?? 6001) })
const backend = createBackend({
  pusher: soketi.pusherOptions,
  jwtSecret: process.env.EXTENSION_JWT_SECRET ?? 'dev-only-jwt-secret-change-me-0123456789',
  cookieSecret: process.env.COOKIE_SECRET ?? 'dev-only-cookie-secret',
  database: `${dataDir}dev.db`,
  debug: true,
  onDecision: (event) =>
    console.log(
      `auth ${event.channel} → ${event.outcome}${event.code ? ` ${event.code}` : ''} (${event.userId ?? 'anonymous'}, ${event.durationMs.toFixed(1)} ms)`,
    ),
})
const server = await backend.listen(Number(process.env.PORT ?? 3000))
const extensionDir = await buildExtension()

const { users, organizations, sessions } = DEMO
console.log(`soketi   ${soketi.httpUrl} (key ${soketi.key})`)
console.log(`backend  ${server.url} (CORS: ${EXTENSION_ORIGIN})`)
console.log(`extension: chrome://extensions → Developer mode → Load unpacked → ${extensionDir}`)
console.log('\nPaste a token and a session id into the popup:')
console.log(`  alice (org Acme): ${await backend.mintToken(users.alice, organizations.acme)}`)
console.log(`  bob   (org Acme): ${await backend.mintToken(users.bob, organizations.acme)}`)
console.log(`  carol (personal): ${await backend.mintToken(users.carol)}`)
console.log(`sessions: ${Object.values(sessions).join(', ')}`)
console.log(
  `\nUpdate a session (as its owner): curl -X PATCH ${server.url}/api/sessions/${sessions.alice} -H "authorization: Bearer <alice's token>" -H 'content-type: application/json' -d '{"status":"done"}'`,
)

const stop = async () => {
  await server.close()
  await soketi.stop()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
