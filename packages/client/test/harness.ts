import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SoketiServer } from '@presence/testing'
import { createPresenceClient } from '../src/index.js'
import type { PresenceClientOptions } from '../src/options.js'
import type { PresenceClient } from '../src/types.js'
import { createAuthApp } from './auth-app.js'

/** One request seen by the auth server. */
export interface SeenRequest {
  path: string
  user: string | null
  socketId: string
  channels: string[]
  /** When the client sent it (`Date.now()`). */
  at: number
}

/** The app server of the integration tests, on a loopback port. */
export interface AuthServer {
  /** `http://127.0.0.1:<port>/auth`: pusher-js's single-channel endpoint. */
  endpoint: string
  /** `http://127.0.0.1:<port>/batch`: the batch endpoint. */
  batchEndpoint: string
  /** Every request, in order. */
  requests: SeenRequest[]
  /** Channels the app refuses (`private-…` names), changeable while running. */
  forbidden: Set<string>
  /** Valid bearer tokens and their user id, changeable while running. */
  tokens: Map<string, string>
  close(): Promise<void>
}

/**
 * Starts the app server: `@presence/server` (real) behind `toNodeHandler`,
 * with a session read from the `x-user` header. Clients made with
 * {@link connectClient} record their requests in `requests`.
 *
 * @param soketi - the soketi whose app key and secret sign the answers.
 * @returns the running server.
 */
export async function startAuthServer(soketi: SoketiServer): Promise<AuthServer> {
  const requests: SeenRequest[] = []
  const forbidden = new Set<string>()
  const tokens = new Map<string, string>()
  const server: Server = createServer(createAuthApp(soketi, forbidden, tokens))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}/auth`,
    batchEndpoint: `http://127.0.0.1:${port}/batch`,
    requests,
    forbidden,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Creates a client connected to soketi, authorizing as `user` through `auth`.
 *
 * @param soketi - the websocket server.
 * @param auth - the app server.
 * @param user - the user id sent as `x-user` (and set with `setUser`), or `null`.
 * @param extra - more client options.
 * @returns the client; call `destroy()`.
 */
export function connectClient(
  soketi: SoketiServer,
  auth: AuthServer,
  user: string | null,
  extra: Partial<PresenceClientOptions> = {},
): PresenceClient {
  return createPresenceClient({
    // `extra.pusher`: pusher-js options over soketi's (e.g. a proxy's `wsPort`).
    pusher: { key: soketi.key, ...soketi.pusherJsOptions, ...(extra.pusher as object) },
    // `extra.auth` replaces the defaults (e.g. to drop batchEndpoint); requests are always counted.
    auth: {
      ...(extra.auth ?? {
        endpoint: auth.endpoint,
        batchEndpoint: auth.batchEndpoint,
        headers: user ? { 'x-user': user } : {},
      }),
      // Count what the client sends, at the client, so the server stays untouched.
      fetch: (input, init) => {
        const body = String(init?.body ?? '')
        const json = body.startsWith('{')
        const parsed = json
          ? (JSON.parse(body) as { socket_id: string; channels: string[] })
          : {
              socket_id: new URLSearchParams(body).get('socket_id') ?? '',
              channels: [new URLSearchParams(body).get('channel_name') ?? ''],
            }
        auth.requests.push({
          path: new URL(String(input)).pathname,
          user,
          socketId: parsed.socket_id,
          channels: parsed.channels,
          at: Date.now(),
        })
        return (extra.auth?.fetch ?? fetch)(input, init)
      },
    },
    user: user ? { id: user } : null,
    graceMs: 20,
    ...(extra.graceMs === undefined ? {} : { graceMs: extra.graceMs }),
    ...(extra.schemas === undefined ? {} : { schemas: extra.schemas }),
    ...(extra.onInvalidEvent === undefined ? {} : { onInvalidEvent: extra.onInvalidEvent }),
    ...(extra.reconnect === undefined ? {} : { reconnect: extra.reconnect }),
    ...(extra.leaveGraceMs === undefined ? {} : { leaveGraceMs: extra.leaveGraceMs }),
  })
}
