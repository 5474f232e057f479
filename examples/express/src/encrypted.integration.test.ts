/**
 * Encrypted channels in the batch service: `private-encrypted-stream@{streamId}`
 * with the app's master key. A real pusher-js client (its encryption build) decrypts
 * an event the `pusher` SDK triggered through soketi with the same master key, and
 * `private-stream@42`, the same name without `encrypted-`, is another grant: another
 * rule, another cache entry, another answer.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { waitFor } from '@presence/testing'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from './app.js'
import { type Stack, startStack } from './testing/stack.js'

const ENCRYPTED = 'private-encrypted-stream@42'
const PLAIN = 'private-stream@42'
const socketId = '1234.5678'

type Entry = {
  auth?: string
  shared_secret?: string
  events?: Array<{ event: string }>
  error?: { code: string; status: number }
}

let stack: Stack
let sdk: Pusher
const clients: PresenceClient[] = []

beforeAll(async () => {
  stack = await startStack({ encryption: true })
  const node = stack.nodes[0]!
  sdk = new Pusher({
    ...node.soketi.pusherOptions,
    encryptionMasterKeyBase64: stack.encryptionMasterKeyBase64!,
  })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await stack?.stop()
})

async function ask(channel: string, token: string | null): Promise<Entry> {
  const node = stack.nodes[0]!
  const query = new URLSearchParams({ socket_id: socketId, channels: channel })
  const res = await fetch(`${node.url}/pusher/batch-authenticate?${query}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as Record<string, Entry>)[channel]!
}

/** Asks for a channel and waits for the decision `onDecision` reports for it (sent after the answer). */
async function decided(channel: string, token: string | null) {
  const decisions = stack.nodes[0]!.decisions
  const before = decisions.length
  const entry = await ask(channel, token)
  const decision = await waitFor(() => decisions.slice(before).find((d) => d.channel === channel), {
    timeoutMs: 5000,
    what: `the decision on ${channel}`,
  })
  return { entry, decision }
}

describe('private-encrypted-stream@{streamId}', () => {
  it("pusher-js's encryption build decrypts an event the pusher SDK triggered through soketi", {
    timeout: 60_000,
  }, async () => {
    const node = stack.nodes[0]!
    // In Node, pusher-js's main entry is its encryption build (tweetnacl bundled);
    // `pusher-js/with-encryption` is the same build for browsers (it needs `self`).
    expect(PusherJs.name).toBe('PusherWithEncryption')
    const pusher = new PusherJs(node.soketi.key, { ...node.soketi.pusherJsOptions })
    // bob subscribes to alice's stream 42.
    const client = createPresenceClient({
      pusher,
      auth: {
        endpoint: `${node.url}/pusher/auth`,
        batchEndpoint: `${node.url}/pusher/batch-authenticate`,
        headers: { Authorization: 'Bearer token-bob' },
      },
    })
    clients.push(client)
    const received: unknown[] = []
    client.on<{ from: string; text: string }>(ENCRYPTED, 'tip.message', (data) => {
      received.push(data)
    })
    const handle = client.subscribe(ENCRYPTED)
    await waitFor(() => client.members(ENCRYPTED).getSnapshot().status === 'subscribed', {
      timeoutMs: 30_000,
      what: `${ENCRYPTED} subscribed`,
    })

    const tip = { from: 'carol', text: 'for the encore' }
    await sdk.trigger(ENCRYPTED, 'tip.message', tip)
    await waitFor(() => received.length > 0, { timeoutMs: 20_000, what: 'the decrypted event' })
    expect(received).toEqual([tip])
    handle.release()
  })

  it('answers with the shared secret the pusher SDK derives from the same master key', async () => {
    const granted = await ask(ENCRYPTED, 'token-bob')
    expect(granted.error).toBeUndefined()
    const expected = sdk.authorizeChannel(socketId, ENCRYPTED)
    expect(granted.auth).toBe(expected.auth)
    expect(granted.shared_secret).toBe(expected.shared_secret)
    expect(Buffer.from(granted.shared_secret!, 'base64')).toHaveLength(32)
  })

  it('is a different grant from private-stream@42: its own rule, cache entry and answer', async () => {
    // The public stream channel: anyone, anonymous included, from one cached answer.
    const plainAnonymous = await ask(PLAIN, null)
    expect(plainAnonymous.error).toBeUndefined()
    expect(plainAnonymous.shared_secret).toBeUndefined()
    // The cache write does not delay the answer: wait until the next caller is served from it.
    await waitFor(async () => (await decided(PLAIN, null)).decision.cached === true, {
      timeoutMs: 5000,
      what: `${PLAIN} served from the cache`,
    })

    // The encrypted one is never served from that cached answer: the anonymous caller
    // and eve (signed in, not a subscriber) are refused by its own rule.
    expect(await ask(ENCRYPTED, null)).toMatchObject({
      error: { code: 'UNAUTHENTICATED', status: 401 },
    })
    expect(await ask(ENCRYPTED, 'token-eve')).toMatchObject({
      error: { code: 'SUBSCRIPTION_REQUIRED', status: 403 },
    })

    // carol (signed in, not a subscriber) gets the plain channel from the cache...
    const plainCarol = await decided(PLAIN, 'token-carol')
    expect(plainCarol.entry.events).toEqual(plainAnonymous.events)
    expect(plainCarol.decision).toMatchObject({ outcome: 'allow', cached: true })
    expect(await ask(ENCRYPTED, 'token-carol')).toMatchObject({
      error: { code: 'SUBSCRIPTION_REQUIRED', status: 403 },
    })

    // ...while alice, the streamer, is decided by the encrypted channel's own authorizer (not
    // from the plain channel's cached answer), then served from her own cache entry.
    const first = await decided(ENCRYPTED, 'token-alice')
    expect(first.decision).toMatchObject({ outcome: 'allow', cached: false, userId: '1' })
    const encrypted = first.entry
    await waitFor(
      async () => {
        const again = await decided(ENCRYPTED, 'token-alice')
        expect(again.entry).toEqual(encrypted)
        return again.decision.cached === true
      },
      { timeoutMs: 5000, what: `alice's ${ENCRYPTED} served from her cache entry` },
    )
    // Another answer: the signature of another name, a shared secret, none of the public
    // channel's retained events.
    expect(encrypted.auth).not.toBe(plainAnonymous.auth)
    expect(encrypted.auth).toBe(sdk.authorizeChannel(socketId, ENCRYPTED).auth)
    expect(encrypted.shared_secret).toBeDefined()
    expect(encrypted.events).toBeUndefined()
    expect(plainAnonymous.events?.length).toBeGreaterThan(0)
    // A refused caller asking after a subscriber's grant was cached is still refused.
    expect(await ask(ENCRYPTED, 'token-eve')).toMatchObject({
      error: { code: 'SUBSCRIPTION_REQUIRED', status: 403 },
    })
  })

  it('does not exist without a master key: the name is unknown (fail closed)', async () => {
    const app = createApp({
      pusher: { appId: 'app-id', key: 'app-key', secret: 'a-secret-for-this-test' },
      redis: stack.redis.url,
      demo: true,
      defaultMetrics: false,
    })
    try {
      const { url } = await app.listen()
      const query = new URLSearchParams({ socket_id: socketId, channels: ENCRYPTED })
      const res = await fetch(`${url}/pusher/batch-authenticate?${query}`, {
        headers: { Authorization: 'Bearer token-bob' },
      })
      const body = (await res.json()) as Record<string, Entry>
      expect(body[ENCRYPTED]).toEqual({ error: { code: 'CHANNEL_UNKNOWN', status: 403 } })
    } finally {
      await app.close()
    }
  })
})
