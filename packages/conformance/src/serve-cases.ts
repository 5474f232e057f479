/**
 * The handlers served over real HTTP by the runtime's own server, the way
 * the docs show it: `Bun.serve({ fetch })`, `Deno.serve(handler)`, and on
 * Node `http.createServer(toNodeHandler(handler))`. (workerd serves the
 * Worker's `fetch` export; the runner checks that one over HTTP itself.)
 * @module
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { toNodeHandler } from '@presence/server/node'
import { server } from './cases.js'
import type { Fixture } from './fixture.js'
import { type Case, equal } from './harness.js'

type FetchHandler = (request: Request) => Promise<Response>

interface Listening {
  url: string
  close(): Promise<void>
}

declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: FetchHandler }): {
    port: number
    stop(force?: boolean): Promise<void> | void
  }
}
declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> }
}

function listen(handler: FetchHandler): { how: string; start: () => Promise<Listening> } {
  const g = globalThis as { Bun?: unknown; Deno?: unknown }
  if (g.Bun) {
    return {
      how: 'Bun.serve({ fetch: handlers.auth })',
      start: async () => {
        const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler })
        return { url: `http://127.0.0.1:${s.port}/`, close: async () => void (await s.stop(true)) }
      },
    }
  }
  if (g.Deno) {
    return {
      how: 'Deno.serve(handlers.auth)',
      start: async () => {
        const s = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, handler)
        return { url: `http://127.0.0.1:${s.addr.port}/`, close: () => s.shutdown() }
      },
    }
  }
  return {
    how: 'http.createServer(toNodeHandler(handlers.auth))',
    start: async () => {
      const s = createServer(toNodeHandler(handler))
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
      return {
        url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/`,
        close: () =>
          new Promise<void>((resolve) => {
            s.closeAllConnections()
            s.close(() => resolve())
          }),
      }
    },
  }
}

/** One case: a private channel signed over real HTTP, byte-identical to pusher. */
export function serveCases(fixture: Fixture): Case[] {
  const { handlers } = server(fixture)
  const { how, start } = listen(handlers.auth)
  return [
    {
      name: `served over HTTP by the runtime (${how}): answer byte-identical to pusher`,
      run: async () => {
        const listening = await start()
        try {
          const response = await fetch(listening.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: `Bearer ${fixture.jwt.hs256}`,
            },
            body: new URLSearchParams({
              socket_id: fixture.socketId,
              channel_name: 'private-stream@42',
            }).toString(),
          })
          equal(response.status, 200, 'status')
          equal(await response.text(), fixture.expected.private, 'body')
        } finally {
          await listening.close()
        }
      },
    },
  ]
}
