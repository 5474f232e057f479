// @vitest-environment node
import { createServer, type Socket } from 'node:net'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PresenceProvider,
  shallow,
  useActiveChannel,
  useActiveList,
  useChannel,
  useConnectionState,
  useEvent,
  useIsOnline,
  useMembers,
  usePresence,
  usePresenceClient,
} from './index.js'

// Issue 6, acceptance 3: renderToString of a tree using every hook works in Node without
// `window`, returns the idle state, and opens no socket.

let connections = 0
const sockets = new Set<Socket>()
const tcp = createServer((socket) => {
  connections++
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
})
let port = 0

beforeAll(async () => {
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
  port = (tcp.address() as { port: number }).port
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise<void>((resolve) => tcp.close(() => resolve()))
})

function Everything() {
  const active = useActiveChannel('presence-messenger', { enabled: true })
  const list = useActiveList()
  const presence = usePresence('presence-room@1')
  const count = useMembers('presence-room@1', (s) => s.count)
  const ids = useMembers('presence-room@1', (s) => [...s.members.keys()], shallow)
  const channel = useChannel('private-feed@1')
  useEvent('private-feed@1', 'update', () => {
    throw new Error('no event can arrive while rendering on the server')
  })
  const connection = useConnectionState()
  const online = useIsOnline('ada')
  const client = usePresenceClient()
  const state = {
    active,
    list,
    presence: { ...presence, members: [...presence.members.keys()] },
    count,
    ids,
    channel,
    connection,
    online,
    client: client === null ? 'none' : 'some',
  }
  return <pre>{JSON.stringify(state)}</pre>
}

function Orphan() {
  return <p>{useActiveList().length}</p>
}

describe('server rendering', () => {
  it('renders every hook to the idle state and opens no socket', async () => {
    expect('window' in globalThis).toBe(false)
    const html = renderToString(
      <PresenceProvider
        options={{
          pusher: {
            key: 'app-key',
            cluster: 'local',
            wsHost: '127.0.0.1',
            wsPort: port,
            forceTLS: false,
            enabledTransports: ['ws'],
          },
          auth: { endpoint: `http://127.0.0.1:${port}/auth` },
        }}
      >
        <Everything />
      </PresenceProvider>,
    )
    const json = html
      .replace(/^<pre>/, '')
      .replace(/<\/pre>$/, '')
      .replaceAll('&quot;', '"')
    expect(JSON.parse(json)).toEqual({
      active: { status: 'idle', error: null },
      list: [],
      presence: { status: 'idle', members: [], me: null, count: 0, error: null },
      count: 0,
      ids: [],
      channel: { status: 'idle', error: null },
      connection: 'initialized',
      online: false,
      client: 'none',
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(connections).toBe(0)
  })

  it('explains a missing provider with a typed error', () => {
    expect(() => renderToString(<Orphan />)).toThrow(
      expect.objectContaining({ name: 'PresenceClientError', code: 'PROVIDER_MISSING' }),
    )
  })
})
