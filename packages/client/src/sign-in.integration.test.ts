import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createPresenceClient } from './index.js'
import type { AuthOptions, PresenceUser } from './options.js'
import type { SignInSnapshot } from './snapshots.js'
import type { PresenceClient } from './types.js'

// Sign-in by default: with a user set and auth.endpoint where presence.handler is mounted (its
// user-auth path included), the client signs its connection in, once per connection and again
// on every new one, so the app server can end that user's connections. soketi runs with user
// authentication on (SOKETI_DEFAULT_APP_USER_AUTHENTICATION=true); without it, soketi ignores
// pusher:signin.

let soketi: SoketiServer
let app: Server
let base: string
/** Sign-in requests the app server received, by user (`null`: no session). */
const signIns: Array<{ user: string | null; socketId: string }> = []
/** Bearer tokens the app server accepts, and their user. */
const tokens = new Map<string, string>()
const clients: PresenceClient[] = []

beforeAll(async () => {
  soketi = await startSoketi({ userAuthentication: true })
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: (request) => {
      const bearer = request.headers.get('authorization')?.replace(/^Bearer /, '')
      const user = bearer ? tokens.get(bearer) : request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    channels: { 'private-doc-{id}': () => true },
  })
  const handler = toNodeHandler(presence.handler)
  app = createServer((req, res) => {
    if (req.url?.endsWith('/user-auth')) {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        const header = req.headers['x-user']
        const bearer = req.headers.authorization?.replace(/^Bearer /, '')
        signIns.push({
          user: (bearer ? tokens.get(bearer) : typeof header === 'string' ? header : null) ?? null,
          socketId: new URLSearchParams(body).get('socket_id') ?? '',
        })
      })
    }
    void handler(req, res)
  })
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}/api/pusher`
})
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
  signIns.length = 0
  tokens.clear()
})
afterAll(async () => {
  await new Promise<void>((resolve) => {
    app?.closeAllConnections()
    app ? app.close(() => resolve()) : resolve()
  })
  await soketi?.stop()
})

function client(user: PresenceUser | null, auth: Partial<AuthOptions> = {}) {
  const made = createPresenceClient({
    pusher: { key: soketi.key, ...soketi.pusherJsOptions },
    auth: { endpoint: base, headers: user ? { 'x-user': user.id } : {}, ...auth },
    user,
  })
  clients.push(made)
  return made
}

const signedIn = (c: PresenceClient) =>
  waitFor(() => c.signIn.getSnapshot().status === 'signed-in', { what: 'signed in' })

describe('sign-in through the endpoint family of presence.handler', () => {
  it('signs in once per connection, accepted by soketi, and again on a new connection', async () => {
    const ann = client({ id: 'ann' })
    await signedIn(ann)
    const first = ann.pusher.connection.socket_id
    expect(signIns).toEqual([{ user: 'ann', socketId: first }])
    // Subscribing and time passing do not sign in again on the same connection.
    ann.subscribe('private-doc-1')
    await waitFor(() => ann.members('private-doc-1').getSnapshot().status === 'subscribed', {
      what: 'subscribed',
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(signIns).toHaveLength(1)

    ann.pusher.disconnect()
    ann.pusher.connect()
    await waitFor(
      () =>
        ann.pusher.connection.socket_id !== first &&
        ann.signIn.getSnapshot().status === 'signed-in',
      { what: 'signed in on the new connection' },
    )
    expect(signIns).toEqual([
      { user: 'ann', socketId: first },
      { user: 'ann', socketId: ann.pusher.connection.socket_id },
    ])
  })

  it('is ended by terminate_connections: revoked, connects again and signs in again', async () => {
    const ann = client({ id: 'ann' })
    const snapshots: SignInSnapshot[] = []
    ann.signIn.subscribe(() => snapshots.push(ann.signIn.getSnapshot()))
    await signedIn(ann)
    const first = ann.pusher.connection.socket_id
    await new Pusher(soketi.pusherOptions).terminateUserConnections('ann')
    // The client may sign in again before a poll sees 'revoked': read what it published.
    await waitFor(() => snapshots.some((s) => s.status === 'revoked'), { what: 'revoked' })
    expect(snapshots.find((s) => s.status === 'revoked')?.error).toMatchObject({
      code: 'REVOKED',
      status: 4009,
    })
    // The session is still valid here, so the new connection signs in again.
    await waitFor(
      () =>
        ann.pusher.connection.socket_id !== first &&
        ann.signIn.getSnapshot().status === 'signed-in',
      { what: 'signed in again after the reconnect' },
    )
    expect(signIns.map((s) => s.socketId)).toEqual([first, ann.pusher.connection.socket_id])
    expect(ann.signIn.getSnapshot().error).toBeNull()
  })

  it('stays revoked and refused when the app server no longer signs the user in', async () => {
    tokens.set('t1', 'bob')
    const bob = client({ id: 'bob' }, { headers: () => ({ Authorization: 'Bearer t1' }) })
    await signedIn(bob)
    tokens.delete('t1')
    await new Pusher(soketi.pusherOptions).terminateUserConnections('bob')
    await waitFor(() => signIns.length === 2, { what: 'the sign-in of the new connection' })
    await waitFor(() => bob.connection.getSnapshot() === 'connected', { what: 'connected again' })
    expect(signIns[1]?.user).toBeNull()
    expect(bob.signIn.getSnapshot()).toMatchObject({
      status: 'revoked',
      error: { code: 'REVOKED' },
    })
  })

  it('refreshes a token once on a 401 (onUnauthorized) and retries the sign-in once', async () => {
    const token = { value: 'expired' }
    const onUnauthorized = vi.fn(async () => {
      tokens.set('fresh', 'cy')
      token.value = 'fresh'
    })
    const cy = client(
      { id: 'cy' },
      { headers: () => ({ Authorization: `Bearer ${token.value}` }), onUnauthorized },
    )
    await signedIn(cy)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
    expect(signIns.map((s) => s.user)).toEqual([null, 'cy'])
  })

  it('shares the token refresh with channel authorization: one onUnauthorized for both 401s', async () => {
    const token = { value: 'expired' }
    const onUnauthorized = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      tokens.set('fresh-2', 'gus')
      token.value = 'fresh-2'
    })
    const gus = client(
      { id: 'gus' },
      { headers: () => ({ Authorization: `Bearer ${token.value}` }), onUnauthorized },
    )
    gus.subscribe('private-doc-7')
    await signedIn(gus)
    await waitFor(() => gus.members('private-doc-7').getSnapshot().status === 'subscribed', {
      what: 'subscribed',
    })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('reports a refusal with the server code', async () => {
    const nobody = client({ id: 'dee' }, { headers: {} })
    await waitFor(() => nobody.signIn.getSnapshot().status === 'refused', { what: 'refused' })
    expect(nobody.signIn.getSnapshot().error).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    })
  })

  it('signs in only once a user is set, and never with a single-channel …/auth endpoint', async () => {
    const later = client(null, { headers: { 'x-user': 'eve' } })
    await waitFor(() => later.connection.getSnapshot() === 'connected', { what: 'connected' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(signIns).toEqual([])
    expect(later.signIn.getSnapshot().status).toBe('off')
    later.setUser({ id: 'eve' })
    await signedIn(later)
    expect(signIns.map((s) => s.user)).toEqual(['eve'])

    const single = client({ id: 'fay' }, { endpoint: `${base}/auth` })
    await waitFor(() => single.connection.getSnapshot() === 'connected', { what: 'connected' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(signIns.map((s) => s.user)).toEqual(['eve'])
    expect(single.signIn.getSnapshot().status).toBe('off')
  })
})
