// @vitest-environment node
import { createServer, type Socket } from 'node:net'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PresenceProvider, useActiveList } from './index.js'
import { Everything, IDLE_STATE, readEverything } from './test/Everything.js'

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

function Orphan() {
  return <p>{useActiveList('presence-messenger').length}</p>
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
    expect(readEverything(html)).toEqual(IDLE_STATE)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(connections).toBe(0)
  })

  it('explains a missing provider with a typed error', () => {
    expect(() => renderToString(<Orphan />)).toThrow(
      expect.objectContaining({ name: 'PresenceClientError', code: 'PROVIDER_MISSING' }),
    )
  })
})
