import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import Database from 'better-sqlite3'
import express from 'express'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deny } from './errors.js'
import { toExpress } from './http/express.js'
import { createPresenceServer } from './server.js'
import type { Session } from './session/types.js'
import { createSigner } from './signer/signer.js'

// Issue 3, acceptance 1 and 3: pusher-js on a real soketi, authorized through
// handlers.auth behind the Express adapter.

const MASTER_KEY = Buffer.alloc(32, 9).toString('base64')
let soketi: SoketiServer
let pusher: Pusher
let server: Server
let endpoint: string
const clients: PusherJs[] = []
const db = new Database(':memory:')

function sessionFromBearer(request: {
  headers: { get(name: string): string | null }
}): Session | null {
  const header = request.headers.get('authorization')
  if (!header?.startsWith('Bearer ')) return null
  const [userId, tenantId] = header.slice(7).split(':')
  return { userId: userId!, tenantId: tenantId ?? userId! }
}

beforeAll(async () => {
  soketi = await startSoketi()
  pusher = new Pusher({ ...soketi.pusherOptions, encryptionMasterKeyBase64: MASTER_KEY })
  db.exec(
    'create table session (id text primary key, tenant_id text not null, user_id text not null)',
  )
  db.prepare('insert into session values (?, ?, ?)').run(
    '0b7c9f6e-1d2a-4c55-9a5e-3f1b2c3d4e5f',
    'acme',
    'ada',
  )
  const findSession = db.prepare<[string, string], { user_id: string }>(
    'select user_id from session where id = ? and tenant_id = ?',
  )
  const presence = createPresenceServer({
    signer: createSigner({
      key: soketi.key,
      secret: soketi.secret,
      encryptionMasterKeyBase64: MASTER_KEY,
    }),
    session: sessionFromBearer,
    debug: false,
    channels: {
      'private-stream@{streamId}': () => true,
      'private-encrypted-stream@{streamId}': () => true,
      // An app that signs only the member's id, as many next-auth apps do.
      'presence-bare': ({ user }) => ({ user_id: user.userId }),
      'presence-messenger': ({ user }) => ({
        user_id: user.userId,
        user_info: { name: user.userId.toUpperCase() },
      }),
      // Seed 002: private-session-<uuid>, owned by tenant and user.
      'private-session-{sessionId}': ({ user, params }) => {
        if (!/^[0-9a-f-]{36}$/.test(params.sessionId)) return false
        const row = findSession.get(params.sessionId, user.tenantId ?? user.userId)
        if (!row) return deny('SESSION_NOT_FOUND', 'no such session for this tenant')
        return row.user_id === user.userId || deny('USER_MISMATCH', 'session owned by another user')
      },
    },
  })
  const app = express()
  app.post('/api/pusher/auth', toExpress(presence.handlers.auth))
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve())
  })
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pusher/auth`
})

afterAll(async () => {
  for (const client of clients) client.disconnect()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await soketi?.stop()
  db.close()
})

function connect(bearer: string | null) {
  const client = new PusherJs(soketi.key, {
    ...soketi.pusherJsOptions,
    channelAuthorization: {
      endpoint,
      transport: 'ajax',
      headers: bearer ? { Authorization: `Bearer ${bearer}` } : {},
    },
  })
  clients.push(client)
  return client
}

type Outcome = { ok: true } | { ok: false; status: number }

function subscribe(client: PusherJs, name: string) {
  const channel = client.subscribe(name)
  const outcome = new Promise<Outcome>((resolve) => {
    channel.bind('pusher:subscription_succeeded', () => resolve({ ok: true }))
    channel.bind('pusher:subscription_error', (error: { status: number }) =>
      resolve({ ok: false, status: error.status }),
    )
  })
  return { channel, outcome }
}

describe('presence members without user_info', () => {
  it('still gives every client the full member list on soketi (user_info {} is signed)', async () => {
    const ada = connect('ada:acme')
    const bob = connect('bob:acme')
    const adaRoom = subscribe(ada, 'presence-bare')
    expect(await adaRoom.outcome).toEqual({ ok: true })
    const bobRoom = subscribe(bob, 'presence-bare')
    expect(await bobRoom.outcome).toEqual({ ok: true })
    type Members = {
      count: number
      me: { id: string } | null
      each(fn: (m: { id: string; info: unknown }) => void): void
    }
    const membersOf = (channel: unknown) => (channel as { members: Members }).members
    await waitFor(() => membersOf(adaRoom.channel).count === 2, { what: "ada's list of both" })
    for (const room of [adaRoom, bobRoom]) {
      const listed: Array<{ id: string; info: unknown }> = []
      membersOf(room.channel).each((member) => listed.push(member))
      // bob joined second: soketi's subscribe answer is the only way he learns about ada.
      expect(listed.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: 'ada', info: {} },
        { id: 'bob', info: {} },
      ])
      expect(membersOf(room.channel).count).toBe(2)
    }
    expect(membersOf(bobRoom.channel).me?.id).toBe('bob')
  })
})

describe('acceptance 1: private, presence and private-encrypted through handlers.auth (Express)', () => {
  it('subscribes, lists both presence members and decrypts an event sent by pusher', async () => {
    const ada = connect('ada:acme')
    const bob = connect('bob:acme')
    const priv = subscribe(ada, 'private-stream@1')
    const adaRoom = subscribe(ada, 'presence-messenger')
    const enc = subscribe(ada, 'private-encrypted-stream@1')
    expect(await priv.outcome).toEqual({ ok: true })
    expect(await adaRoom.outcome).toEqual({ ok: true })
    expect(await enc.outcome).toEqual({ ok: true })
    const bobRoom = subscribe(bob, 'presence-messenger')
    expect(await bobRoom.outcome).toEqual({ ok: true })

    await waitFor(
      () => (adaRoom.channel as unknown as { members: { count: number } }).members.count === 2,
      {
        timeoutMs: 5000,
        what: 'both presence members',
      },
    )
    const members: Array<{ id: string; info: unknown }> = []
    ;(
      bobRoom.channel as unknown as {
        members: { each(fn: (m: { id: string; info: unknown }) => void): void }
      }
    ).members.each((member) => members.push(member))
    expect(members.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'ada', info: { name: 'ADA' } },
      { id: 'bob', info: { name: 'BOB' } },
    ])

    const received = new Promise<unknown>((resolve) => enc.channel.bind('secret', resolve))
    const privateReceived = new Promise<unknown>((resolve) => priv.channel.bind('plain', resolve))
    await pusher.trigger('private-encrypted-stream@1', 'secret', { msg: 'only for subscribers' })
    await pusher.trigger('private-stream@1', 'plain', { n: 1 })
    expect(await received).toEqual({ msg: 'only for subscribers' })
    expect(await privateReceived).toEqual({ n: 1 })
  })
})

describe('acceptance 3: refusals', () => {
  it("seed 000's forged subscription without a session gets 401 and nothing signed", async () => {
    const forger = connect(null)
    const { outcome } = subscribe(forger, 'presence-messenger')
    expect(await outcome).toEqual({ ok: false, status: 401 })
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'socket_id=1.2&channel_name=presence-messenger',
    })
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('{"error":{"code":"UNAUTHENTICATED"}}')
  })

  it.each([
    ['private-session-not-a-uuid', 'ada:acme', 'CHANNEL_FORBIDDEN'],
    ['private-session-0b7c9f6e-1d2a-4c55-9a5e-3f1b2c3d4e5f', 'ada:other-org', 'SESSION_NOT_FOUND'],
    ['private-session-0b7c9f6e-1d2a-4c55-9a5e-3f1b2c3d4e5f', 'bob:acme', 'USER_MISMATCH'],
  ])(
    'seed 002: %s as %s → 403 %s, production body without message',
    async (channel, bearer, code) => {
      const client = connect(bearer)
      const { outcome } = subscribe(client, channel)
      expect(await outcome).toEqual({ ok: false, status: 403 })
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${bearer}`,
        },
        body: new URLSearchParams({ socket_id: '1.2', channel_name: channel }).toString(),
      })
      expect(response.status).toBe(403)
      expect(await response.text()).toBe(JSON.stringify({ error: { code } }))
    },
  )

  it('the owner subscribes to their session channel', async () => {
    const client = connect('ada:acme')
    const { outcome } = subscribe(client, 'private-session-0b7c9f6e-1d2a-4c55-9a5e-3f1b2c3d4e5f')
    expect(await outcome).toEqual({ ok: true })
  })
})
