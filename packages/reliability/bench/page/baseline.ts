// Browser entry: pusher-js's default authorizer, one request per channel.
import Pusher from 'pusher-js'
import { CHANNELS, type PageConfig, startTrace } from './shared.js'

const config = (window as unknown as { __CONFIG: PageConfig }).__CONFIG
const pusher = new Pusher(config.key, {
  ...config.pusher,
  channelAuthorization: { endpoint: '/auth', transport: 'ajax' },
})
pusher.connection.bind('connected', () => {
  const trace = startTrace(pusher, config.count)
  for (const name of CHANNELS(config.count)) {
    const channel = pusher.subscribe(name)
    channel.bind('pusher:subscription_succeeded', trace.succeeded)
    channel.bind('pusher:subscription_error', trace.failed)
  }
  trace.loopDone()
})
