import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type AuthServer, connectClient, startAuthServer } from '../test/harness.js'
import type { PresenceClient } from './types.js'

// A token that expired: the app server answers 401 to it. The client calls onUnauthorized
// once per token generation, on both endpoints, and retries each channel once.

let soketi: SoketiServer
let auth: AuthServer
const clients: PresenceClient[] = []

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
})
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy()
  auth.requests.length = 0
  auth.tokens.clear()
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

const names = ['private-doc-1', 'private-doc-2', 'private-doc-3', 'private-doc-4', 'private-doc-5']

/** A client whose async headers send the current token; `refresh` is its onUnauthorized. */
async function clientWithToken(
  batch: boolean,
  refresh: () => Promise<void>,
  token: { value: string },
) {
  const client = connectClient(soketi, auth, null, {
    auth: {
      endpoint: auth.endpoint,
      ...(batch ? { batchEndpoint: auth.batchEndpoint } : {}),
      headers: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { Authorization: `Bearer ${token.value}` }
      },
      onUnauthorized: refresh,
    },
  })
  clients.push(client)
  await waitFor(() => client.connection.getSnapshot() === 'connected', { what: 'connected' })
  return client
}

const statuses = (client: PresenceClient) =>
  names.map((n) => client.members(n).getSnapshot().status)

describe.each([
  ['the single endpoint', false, 5],
  ['the batch endpoint', true, 1],
])('a 401 on %s', (_, batch, requestsPerRound) => {
  it('5 channels in one tick: onUnauthorized called exactly once, every channel subscribed after one retry', async () => {
    auth.tokens.set('fresh', 'u1')
    const token = { value: 'expired' }
    // Settles at once: the 401s of the other requests arrive after it completed.
    const refresh = vi.fn(async () => {
      token.value = 'fresh'
    })
    const client = await clientWithToken(batch, refresh, token)
    for (const name of names) client.subscribe(name)
    await waitFor(() => statuses(client).every((s) => s === 'subscribed'), { what: '5 subscribed' })
    expect(refresh).toHaveBeenCalledTimes(1)
    // One round with the expired token, one retry round with the fresh one.
    expect(auth.requests).toHaveLength(2 * requestsPerRound)
    expect(auth.requests.flatMap((r) => r.channels).sort()).toEqual([...names, ...names].sort())
  })

  it('a refresh that does not help: each channel unauthenticated after one retry, no loop', async () => {
    const token = { value: 'expired' }
    const refresh = vi.fn(async () => {})
    const client = await clientWithToken(batch, refresh, token)
    for (const name of names) client.subscribe(name)
    await waitFor(() => statuses(client).every((s) => s === 'unauthenticated'), {
      what: '5 unauthenticated',
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(auth.requests).toHaveLength(2 * requestsPerRound)
    expect(client.members('private-doc-1').getSnapshot().error).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
    })
  })
})
