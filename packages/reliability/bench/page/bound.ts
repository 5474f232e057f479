// Browser entry: the bound. The floor's public channels, subscribed after one request that waits
// for the session lookup: what any authorizer spends at least (it needs the session's answer).
import Pusher from 'pusher-js'
import { type PageConfig, PUBLIC_CHANNELS, SESSION_PATH, startTrace } from './shared.js'

const config = (window as unknown as { __CONFIG: PageConfig }).__CONFIG
const pusher = new Pusher(config.key, config.pusher)
pusher.connection.bind('connected', async () => {
  const trace = startTrace(pusher, config.count)
  await fetch(SESSION_PATH, { method: 'POST' })
  for (const name of PUBLIC_CHANNELS(config.count)) {
    const channel = pusher.subscribe(name)
    channel.bind('pusher:subscription_succeeded', trace.succeeded)
    channel.bind('pusher:subscription_error', trace.failed)
  }
  trace.loopDone()
})
