// Browser entry: the floor. The same number of channels, public (no authorization at all), plain pusher-js.
import Pusher from 'pusher-js'
import { type PageConfig, PUBLIC_CHANNELS, startTrace } from './shared.js'

const config = (window as unknown as { __CONFIG: PageConfig }).__CONFIG
const pusher = new Pusher(config.key, config.pusher)
pusher.connection.bind('connected', () => {
  const trace = startTrace(pusher, config.count)
  for (const name of PUBLIC_CHANNELS(config.count)) {
    const channel = pusher.subscribe(name)
    channel.bind('pusher:subscription_succeeded', trace.succeeded)
    channel.bind('pusher:subscription_error', trace.failed)
  }
  trace.loopDone()
})
