/**
 * `pnpm demo:soketi`: starts a real soketi server on loopback, prints its address and app
 * credentials, and stops it on Ctrl-C — a Pusher-protocol server for trying the packages
 * (`pnpm demo` runs the full Next.js example).
 *
 * Set `DEMO_PORT` to choose the port (a free one otherwise).
 * @module
 */
import { startSoketi } from './soketi.js'

const port = process.env.DEMO_PORT ? Number(process.env.DEMO_PORT) : undefined
const soketi = await startSoketi(port === undefined ? {} : { port })

console.log(`soketi (Pusher protocol) listening on ${soketi.httpUrl}`)
console.log(`  app id:  ${soketi.appId}`)
console.log(`  key:     ${soketi.key}`)
console.log(`  secret:  ${soketi.secret}`)
console.log('pusher-js options:', JSON.stringify(soketi.pusherJsOptions))
console.log('pusher (server SDK) options:', JSON.stringify(soketi.pusherOptions))
console.log('Press Ctrl-C to stop.')

let stopping = false
async function shutdown(signal: NodeJS.Signals) {
  if (stopping) return
  stopping = true
  console.log(`\n${signal}: stopping soketi...`)
  await soketi.stop()
  console.log('stopped.')
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
