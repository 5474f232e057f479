/**
 * What the framework integration tests share: a presence server signing for
 * a real soketi, and pusher-js clients that subscribe through an app's routes
 * (soketi checks every signature, so a subscription that succeeds proves the
 * framework delivered the handler's answer intact).
 * @module
 */
import { createPresenceServer, createSigner, deny } from '@presence/server'
import { type SoketiServer, startSoketi } from '@presence/testing'
import PusherJs from 'pusher-js'

/** A soketi and a presence server whose signer matches it. */
export async function startKit() {
  const soketi: SoketiServer = await startSoketi()
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    // `Authorization: Bearer <userId>`: enough to tell callers apart here.
    session: (request) => {
      const header = request.headers.get('authorization')
      return header?.startsWith('Bearer ') ? { userId: header.slice(7) } : null
    },
    debug: false,
    channels: {
      'presence-room': ({ user }) => ({ user_id: user.userId, user_info: { name: user.userId } }),
      'private-stream@{id}': ({ params }) => params.id !== 'closed' || deny('STREAM_CLOSED'),
    },
  })
  const clients: PusherJs[] = []
  return {
    soketi,
    presence,
    /** A pusher-js client authorizing through `authUrl` as `userId`. */
    connect(authUrl: string, userId: string) {
      const client = new PusherJs(soketi.key, {
        ...soketi.pusherJsOptions,
        channelAuthorization: {
          endpoint: authUrl,
          transport: 'ajax',
          headers: { Authorization: `Bearer ${userId}` },
        },
      })
      clients.push(client)
      return client
    },
    async stop() {
      for (const client of clients) client.disconnect()
      await soketi.stop()
    },
  }
}

/** Subscribes and resolves with `'ok'` or the refusal's HTTP status. */
export function subscribe(client: PusherJs, name: string): Promise<'ok' | number> {
  const channel = client.subscribe(name)
  return new Promise((resolve) => {
    channel.bind('pusher:subscription_succeeded', () => resolve('ok'))
    channel.bind('pusher:subscription_error', (error: { status: number }) => resolve(error.status))
  })
}
