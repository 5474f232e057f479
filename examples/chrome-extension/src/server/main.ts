/**
 * The backend's production entry point (`npm start`): reads its configuration from the
 * environment ({@link readEnv}), migrates the database and listens. It creates no demo data and
 * needs nothing but its dependencies: no test helpers, no bundled Pusher-protocol server.
 *
 * A missing or unusable variable stops it at once with one message naming all of them (exit 1).
 * @module
 */
import { EnvError, readEnv } from './env.js'

let config: ReturnType<typeof readEnv>
try {
  config = readEnv()
} catch (error) {
  if (!(error instanceof EnvError)) throw error
  console.error(error.message)
  process.exit(1)
}

// Loaded once the environment is known to be complete, so a misconfigured start fails at once.
const { createBackend } = await import('./app.js')
const backend = await createBackend(config.backend)
const server = await backend.listen(config.port, config.host)
console.log(
  `backend listening on ${server.url} (CORS: ${config.backend.allowedOrigins?.join(', ')})`,
)

const stop = async () => {
  await server.close()
  backend.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
