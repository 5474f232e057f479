import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPresenceClient, type PresenceClient } from '@presence/client'
import {
  type ManagedProcess,
  type SoketiOptions,
  type SoketiServer,
  startProcess,
  startSoketi,
  waitFor,
} from '@presence/testing'

/** One authorization request a client sent: its endpoint and the channels in it. */
export interface SentRequest {
  path: string
  channels: string[]
}

/** A client of the stack and the auth requests it sent. */
export interface StackClient {
  client: PresenceClient
  requests: SentRequest[]
  /** How many `pusher:subscribe` frames pusher-js sent for `channel`. */
  subscribes(channel: string): number
}

/** soketi plus the app server (`@presence/server`) in its own process. */
export interface Stack {
  soketi: SoketiServer
  /** `http://127.0.0.1:<port>` of the app server. */
  appUrl: string
  /** A real client signed in as `user` (`Authorization: Bearer <user>`). */
  connect(user: string, options?: { graceMs?: number }): StackClient
  /** Destroys every client, stops both servers. */
  stop(): Promise<void>
}

// A string path: under happy-dom the global `URL` is the DOM's, which node:url does not accept.
const here = dirname(fileURLToPath(import.meta.url))
const serverScript = join(here, 'auth-server.ts')

function channelsOf(body: string): string[] {
  if (body.startsWith('{')) return (JSON.parse(body) as { channels: string[] }).channels
  return [new URLSearchParams(body).get('channel_name') ?? '']
}

/**
 * Starts soketi and the app server on loopback.
 *
 * @param soketiOptions - e.g. `maxPresenceMembers`.
 * @returns the running stack; call `stop()` in `afterAll`.
 */
export async function startStack(soketiOptions: SoketiOptions = {}): Promise<Stack> {
  const soketi = await startSoketi(soketiOptions)
  let app: ManagedProcess | undefined
  const clients: PresenceClient[] = []
  try {
    app = startProcess(process.execPath, ['--conditions=source', '--import', 'tsx', serverScript], {
      env: {
        PUSHER_KEY: soketi.key,
        PUSHER_SECRET: soketi.secret,
        ORIGIN: globalThis.location?.origin ?? 'http://localhost:3000',
        NODE_ENV: 'test',
      },
    })
    const started = app
    const port = await waitFor(() => /LISTENING (\d+)/.exec(started.output())?.[1], {
      timeoutMs: 20_000,
      what: 'the app server',
    })
    const appUrl = `http://127.0.0.1:${port}`
    return {
      soketi,
      appUrl,
      connect(user, options = {}) {
        const requests: SentRequest[] = []
        const client = createPresenceClient({
          pusher: { key: soketi.key, ...soketi.pusherJsOptions },
          auth: {
            endpoint: `${appUrl}/auth`,
            batchEndpoint: `${appUrl}/batch`,
            headers: { Authorization: `Bearer ${user}` },
            fetch: (input, init) => {
              const path = new URL(String(input)).pathname
              requests.push({ path, channels: channelsOf(String(init?.body ?? '')) })
              return fetch(input, init)
            },
          },
          user: { id: user },
          ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
        })
        // Count what pusher-js puts on the wire (the call passes through unchanged).
        const sent: string[] = []
        const send = client.pusher.send_event.bind(client.pusher)
        client.pusher.send_event = (event, data, channel) => {
          if (event === 'pusher:subscribe') sent.push((data as { channel: string }).channel)
          return send(event, data, channel)
        }
        clients.push(client)
        return {
          client,
          requests,
          subscribes: (channel) => sent.filter((c) => c === channel).length,
        }
      },
      async stop() {
        for (const c of clients) c.destroy()
        await app?.stop()
        await soketi.stop()
      },
    }
  } catch (error) {
    await app?.stop()
    await soketi.stop()
    throw error
  }
}
