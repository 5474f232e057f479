/**
 * Runs one instance of the example app, configured from the environment
 * (see README.md). `pnpm --filter @presence/example-express start`.
 * @module
 */
import { createApp } from './app.js'

const env = process.env
const app = createApp({
  name: env.INSTANCE_NAME ?? 'app',
  pusher: {
    appId: env.PUSHER_APP_ID ?? 'app-id',
    key: env.PUSHER_KEY ?? 'app-key',
    secret: env.PUSHER_SECRET ?? 'app-secret',
  },
  redis: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  store: { path: env.DATABASE_PATH ?? ':memory:' },
})

const { url } = await app.listen(Number(env.PORT ?? 3000), env.HOST ?? '127.0.0.1')
console.log(`[${env.INSTANCE_NAME ?? 'app'}] listening on ${url}`)

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
