/**
 * the third-party pusher-js-auth plugin (a batching
 * authorizer for pusher-js, installed as a dev dependency) authorizes several
 * channels in one request against this app's POST batch route, in its own
 * form dialect (`channel_name[i]`) and answer shape (`{ [channel]: { status, data } }`).
 */
import { waitFor } from '@presence/testing'
import PusherJs from 'pusher-js'
import PusherBatchAuthorizer from 'pusher-js-auth'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Stack, startStack } from './testing/stack.js'

let stack: Stack
let pusher: PusherJs | undefined

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  pusher?.disconnect()
  await stack?.stop()
})

it('pusher-js-auth batches four channels into one POST; the foreign order is refused alone', {
  timeout: 120_000,
}, async () => {
  const node = stack.nodes[0]!
  const requests = async () =>
    (await node.app.metrics.authRequests.get()).values.find((v) => v.labels.route === 'batch')
      ?.value ?? 0
  const before = await requests()

  // pusher-js 8 still honours the deprecated `authorizer` option, which is how the plugin plugs in.
  pusher = new PusherJs(node.soketi.key, {
    ...node.soketi.pusherJsOptions,
    authEndpoint: `${node.url}/pusher/batch-authenticate`,
    auth: { headers: { Authorization: 'Bearer token-bob' } },
    authorizer: PusherBatchAuthorizer,
  })
  const outcomes = new Map<string, 'ok' | number>()
  const allowed = ['private-stream@42', 'presence-chat@901', 'private-order@1001']
  const refused = 'private-order@1002' // carol's order, not bob's
  for (const name of [...allowed, refused]) {
    const channel = pusher.subscribe(name)
    channel.bind('pusher:subscription_succeeded', () => outcomes.set(name, 'ok'))
    channel.bind('pusher:subscription_error', (error: { status?: number }) =>
      outcomes.set(name, error.status ?? 0),
    )
  }
  await waitFor(() => outcomes.size === 4, {
    timeoutMs: 40_000,
    what: 'four subscription outcomes',
  })

  for (const name of allowed) expect(outcomes.get(name), name).toBe('ok')
  expect(outcomes.get(refused)).not.toBe('ok')
  expect(await requests()).toBe(before + 1)
  // The server refused carol's order with its code (the plugin only surfaces the status).
  const refusal = node.decisions.find((d) => d.channel === refused)
  expect(refusal).toMatchObject({
    outcome: 'deny',
    code: 'ORDER_FORBIDDEN',
    status: 403,
    userId: '2',
  })

  // The presence channel carries bob's member data from the users table.
  const chat = pusher.channel('presence-chat@901') as unknown as {
    members: { me: { id: string; info: { name: string } } }
  }
  expect(chat.members.me).toMatchObject({ id: '2', info: { name: 'bob' } })
})
