import { describe, expect, it } from 'vitest'
import { createPresenceClient as createCoreClient } from '../core.js'
import { createPresenceClient as createMainClient } from '../index.js'
import { createPresenceClient } from './index.js'

// Nothing listens on port 9: the clients below never connect.
const pusher = {
  key: 'app-key',
  cluster: 'local',
  wsHost: '127.0.0.1',
  wsPort: 9,
  forceTLS: false,
  enabledTransports: ['ws' as const],
}
const auth = { endpoint: '/api/pusher' }

describe("tabs: 'shared' outside a page", () => {
  it('keeps its own connection in Node (no document, no Web Locks): client.tabs reads own', () => {
    const client = createPresenceClient({ pusher, auth, tabs: 'shared' })
    expect(client.tabs.getSnapshot()).toEqual({ role: 'own' })
    expect(client.pusher.connection).toBeDefined()
    client.destroy()
  })

  it("is own by default, as the client of '@presence/client' is", () => {
    const own = createPresenceClient({ pusher, auth })
    const main = createMainClient({ pusher, auth })
    expect(own.tabs.getSnapshot()).toEqual({ role: 'own' })
    expect(main.tabs.getSnapshot()).toEqual({ role: 'own' })
    own.destroy()
    main.destroy()
  })

  it("is refused by the entries without the sharing code, with INVALID_OPTIONS naming 'tabs'", () => {
    expect(() => createMainClient({ pusher, auth, tabs: 'shared' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'tabs' }),
    )
    const main = createMainClient({ pusher, auth })
    expect(() => createCoreClient({ pusher: main.pusher, auth, tabs: 'shared' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'tabs' }),
    )
    main.destroy()
  })
})
