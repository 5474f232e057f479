import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AuthServer, connectClient, startAuthServer } from '../test/harness.js'
import { InvalidEventError } from './index.js'

let soketi: SoketiServer
let auth: AuthServer

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

const Updated = v.object({ rev: v.pipe(v.number(), v.integer()), title: v.string() })

describe('Standard Schema validation of live events (valibot, soketi)', () => {
  it('drops a malformed event before its handler and reports it through onInvalidEvent', async () => {
    const invalid: InvalidEventError[] = []
    const client = connectClient(soketi, auth, 'v1', {
      schemas: {
        'private-doc@{docId}': {
          updated: v.pipe(
            Updated,
            v.transform((d) => ({ ...d, title: d.title.trim() })),
          ),
        },
      },
      onInvalidEvent: (error) => invalid.push(error),
    })
    try {
      const seen: unknown[] = []
      const other: unknown[] = []
      client.on('private-doc@42', 'updated', (data) => seen.push(data))
      client.on('private-doc@42', 'renamed', (data) => other.push(data))
      client.subscribe('private-doc@42')
      await waitFor(() => client.members('private-doc@42').getSnapshot().status === 'subscribed', {
        what: 'private-doc@42 subscribed',
        timeoutMs: 10_000,
      })
      const server = new Pusher(soketi.pusherOptions)
      await server.trigger('private-doc@42', 'updated', { rev: 'three', title: 'x' })
      await server.trigger('private-doc@42', 'updated', { rev: 4, title: '  Plan  ' })
      await server.trigger('private-doc@42', 'renamed', { anything: true })
      await waitFor(() => seen.length === 1 && other.length === 1 && invalid.length === 1, {
        what: 'one valid, one unvalidated, one invalid event',
        timeoutMs: 10_000,
      })
      // The valid payload arrives as the schema's output (transform applied).
      expect(seen).toEqual([{ rev: 4, title: 'Plan' }])
      // An event without a schema is passed as received.
      expect(other).toEqual([{ anything: true }])
      const [error] = invalid
      expect(error).toBeInstanceOf(InvalidEventError)
      expect(error).toMatchObject({
        code: 'INVALID_EVENT',
        channel: 'private-doc@42',
        event: 'updated',
        data: { rev: 'three', title: 'x' },
      })
      expect(error?.issues[0]?.path?.map((p) => (typeof p === 'object' ? p.key : p))).toEqual([
        'rev',
      ])
    } finally {
      client.destroy()
    }
  })

  it('matches the literal pattern before one with params, and leaves other channels alone', async () => {
    const invalid: InvalidEventError[] = []
    const client = connectClient(soketi, auth, 'v2', {
      schemas: {
        'private-doc@{docId}': { updated: Updated },
        'private-doc@readme': { updated: v.object({ rev: v.literal(0) }) },
      },
      onInvalidEvent: (error) => invalid.push(error),
    })
    try {
      const readme: unknown[] = []
      const feed: unknown[] = []
      client.on('private-doc@readme', 'updated', (data) => readme.push(data))
      client.on('private-feed@1', 'updated', (data) => feed.push(data))
      client.subscribe('private-doc@readme')
      client.subscribe('private-feed@1')
      await waitFor(
        () =>
          client.members('private-doc@readme').getSnapshot().status === 'subscribed' &&
          client.members('private-feed@1').getSnapshot().status === 'subscribed',
        { what: 'both subscribed', timeoutMs: 10_000 },
      )
      const server = new Pusher(soketi.pusherOptions)
      await server.trigger('private-doc@readme', 'updated', { rev: 0 })
      await server.trigger('private-doc@readme', 'updated', { rev: 1, title: 'valid elsewhere' })
      await server.trigger('private-feed@1', 'updated', 'not an object')
      await waitFor(() => readme.length + invalid.length === 2 && feed.length === 1, {
        what: 'events delivered',
        timeoutMs: 10_000,
      })
      expect(readme).toEqual([{ rev: 0 }])
      expect(invalid.map((e) => e.data)).toEqual([{ rev: 1, title: 'valid elsewhere' }])
      expect(feed).toEqual(['not an object'])
    } finally {
      client.destroy()
    }
  })
})
