// Browser entry: @presence/client, the same subscriptions through its batching authorizer.
import { createPresenceClient } from '@presence/client'
import Pusher from 'pusher-js'
import { CHANNELS, type PageConfig, report } from './shared.js'

const config = (window as unknown as { __CONFIG: PageConfig }).__CONFIG
const pusher = new Pusher(config.key, config.pusher)
const client = createPresenceClient({
  pusher,
  auth: { endpoint: '/auth', batchEndpoint: '/batch' },
})
pusher.connection.bind('connected', () => {
  const start = performance.now()
  let done = 0
  for (const name of CHANNELS(config.count)) {
    client.subscribe(name)
    const channel = pusher.channel(name)
    channel.bind('pusher:subscription_succeeded', () => {
      if (++done === config.count) report(performance.now() - start, pusher)
    })
    channel.bind('pusher:subscription_error', (e: unknown) =>
      report(Number.NaN, pusher, JSON.stringify(e)),
    )
  }
})
