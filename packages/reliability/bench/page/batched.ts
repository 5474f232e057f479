// Browser entry: @presence/client, the same subscriptions through its batching authorizer.
import { createPresenceClient } from '@presence/client'
import Pusher from 'pusher-js'
import { CHANNELS, type PageConfig, startTrace } from './shared.js'

const config = (window as unknown as { __CONFIG: PageConfig & { batchWindowMs?: number } }).__CONFIG
const pusher = new Pusher(config.key, config.pusher)
const client = createPresenceClient({
  pusher,
  auth: {
    endpoint: '/auth',
    batchEndpoint: '/batch',
    ...(config.batchWindowMs === undefined ? {} : { batchWindowMs: config.batchWindowMs }),
  },
})
pusher.connection.bind('connected', () => {
  const trace = startTrace(pusher, config.count)
  for (const name of CHANNELS(config.count)) {
    client.subscribe(name)
    const channel = pusher.channel(name)
    channel.bind('pusher:subscription_succeeded', trace.succeeded)
    channel.bind('pusher:subscription_error', trace.failed)
  }
  trace.loopDone()
})
