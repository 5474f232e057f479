import Pusher from 'pusher-js'
import { afterEach, describe, expect, it } from 'vitest'
import { channelTableSize, createClient } from './client.js'
import type { PresenceClient } from './types.js'

// A real pusher-js instance that never connects (nothing listens on port 1): the channel
// table is the client's own bookkeeping, which does not need a server.
const clients: PresenceClient[] = []
const newClient = () => {
  const pusher = new Pusher('app-key', {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: 1,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
  })
  const client = createClient(
    { auth: { endpoint: 'http://127.0.0.1:1/auth' }, graceMs: 10 },
    pusher,
    true,
  )
  clients.push(client)
  return client
}
const afterGrace = () => new Promise((resolve) => setTimeout(resolve, 60))

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
})

describe('eviction of unused channels', () => {
  it('forgets a channel after its last release and grace period; its store reads idle again', async () => {
    const client = newClient()
    const handle = client.subscribe('private-doc@1')
    const store = client.members('private-doc@1')
    expect(store.getSnapshot().status).toBe('subscribing')
    expect(channelTableSize(client)).toBe(1)
    handle.release()
    await afterGrace()
    expect(channelTableSize(client)).toBe(0)
    expect(client.members('private-doc@1').getSnapshot().status).toBe('idle')
  })

  it('forgets a channel that was only read', async () => {
    const client = newClient()
    client.members('presence-room').getSnapshot()
    expect(channelTableSize(client)).toBe(1)
    await afterGrace()
    expect(channelTableSize(client)).toBe(0)
  })

  it('keeps a channel while a handler is bound or a store listener is subscribed', async () => {
    const client = newClient()
    const unbind = client.on('private-a', 'event', () => {})
    const store = client.members('private-b')
    const stop = store.subscribe(() => {})
    client.subscribe('private-c').release()
    await afterGrace()
    expect(channelTableSize(client)).toBe(2)
    // The same store object is still the channel's store.
    expect(client.members('private-b')).toBe(store)
    unbind()
    stop()
    await afterGrace()
    expect(channelTableSize(client)).toBe(0)
  })

  it('a store kept by the app and subscribed to again is the channel store again', async () => {
    const client = newClient()
    const store = client.members('private-kept')
    await afterGrace()
    expect(channelTableSize(client)).toBe(0)
    const stop = store.subscribe(() => {})
    expect(client.members('private-kept')).toBe(store)
    client.subscribe('private-kept')
    expect(store.getSnapshot().status).toBe('subscribing')
    stop()
  })

  it('keeps a channel during the grace period, so a remount reuses it', async () => {
    const client = newClient()
    const first = client.subscribe('presence-strict')
    const store = client.members('presence-strict')
    first.release()
    const second = client.subscribe('presence-strict')
    await afterGrace()
    expect(client.members('presence-strict')).toBe(store)
    expect(channelTableSize(client)).toBe(1)
    second.release()
  })
})
