/**
 * Runs one instance of the example app, configured from the environment
 * (see "Deploying" in README.md):
 *
 *   NODE_ENV=production npm start          # production: every secret from the environment
 *   npm run demo                           # demo mode (--demo): seeds the demo accounts
 *
 * The environment is checked before anything opens: a start that lacks a required
 * variable exits with code 1 and one message naming every missing one.
 * @module
 */
import { ConfigError, type EnvConfig, readConfig } from './config.js'

function exitOn(error: unknown): never {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}

let config: EnvConfig
try {
  config = readConfig(process.env, { demo: process.argv.includes('--demo') })
} catch (error) {
  exitOn(error)
}

// Loaded after the check, so a misconfigured start stops before opening Redis or the database.
const { createApp } = await import('./app.js')
let app: ReturnType<typeof createApp>
try {
  app = createApp({
    name: config.name,
    pusher: config.pusher,
    redis: config.redisUrl,
    store: { path: config.databasePath },
    demo: config.demo,
    metricsToken: config.metricsToken,
  })
} catch (error) {
  exitOn(error)
}

const { url } = await app.listen(config.port, config.host)
const modes = [
  config.demo ? 'demo mode: demo accounts token-<name>' : null,
  config.pusher.encryptionMasterKeyBase64 ? 'encrypted channels on' : null,
  config.metricsToken ? null : 'metrics off (no METRICS_TOKEN)',
].filter(Boolean)
console.log(`[${config.name}] listening on ${url}${modes.length ? ` (${modes.join(', ')})` : ''}`)

let closing = false
const shutdown = () => {
  if (closing) return
  closing = true
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
