/**
 * The service from a real browser: Debian's Chromium opens a page on the app's
 * origin that runs pusher-js and @presence/client (bundled by esbuild), signs in
 * with a login token and joins the service's channels against soketi, as a web
 * front end of the batch authentication service would. `auth: { endpoint:
 * '/pusher' }` is all the page configures: the client batches to `/pusher/batch`,
 * served by `presence.handler`.
 */
import { fileURLToPath } from 'node:url'
import { launchChromium } from '@presence/testing'
import { build } from 'esbuild'
import type { Browser, Page } from 'playwright-core'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Stack, startStack } from './testing/stack.js'

let stack: Stack
let browser: Browser

beforeAll(async () => {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL('./testing/browser-client.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  })
  const script = bundled.outputFiles[0]?.text ?? ''
  ;[stack, browser] = await Promise.all([startStack({ encryption: true }), launchChromium()])
  // The front end, served by the app next to its API (so its requests are same-origin).
  const { app } = stack.nodes[0]!.app
  app.get('/front-end/client.js', (_req, res) => res.type('js').send(script))
  app.get('/front-end', (_req, res) =>
    res
      .type('html')
      .send('<!doctype html><title>front end</title><script src="/front-end/client.js"></script>'),
  )
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** What the page reports about one channel. */
interface ChannelView {
  status: string
  count: number
  ids: string[]
  me: string | null
  code: string | null
}

/**
 * Opens a page on the app's origin, signed in with `token`, and subscribes
 * `channels` in one tick.
 *
 * @returns the page and the paths of the requests it sent to the app
 */
async function openPage(token: string, userId: string, channels: string[]) {
  const node = stack.nodes[0]!
  const page = await browser.newPage()
  const requests: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.origin === node.url && url.pathname.startsWith('/pusher/'))
      requests.push(`${request.method()} ${url.pathname}`)
  })
  await page.goto(`${node.url}/front-end`)
  await page.evaluate(
    ({ key, pusherJsOptions, token, userId, channels }) => {
      const { createPresenceClient } = window as unknown as {
        createPresenceClient: typeof import('@presence/client').createPresenceClient
      }
      const client = createPresenceClient({
        pusher: { key, ...pusherJsOptions },
        auth: { endpoint: '/pusher', headers: { Authorization: `Bearer ${token}` } },
        user: { id: userId },
      })
      for (const name of channels) client.subscribe(name)
      Object.assign(window, {
        view: (name: string) => {
          const { status, count, members, me, error } = client.members(name).getSnapshot()
          return {
            status,
            count,
            ids: [...members.keys()].sort(),
            me: me?.id ?? null,
            code: error?.code ?? null,
          }
        },
      })
    },
    { key: node.soketi.key, pusherJsOptions: node.soketi.pusherJsOptions, token, userId, channels },
  )
  return { page, requests }
}

/** Waits until the page's view of `name` has the `wanted` fields, and returns that view. */
async function viewWhen(
  page: Page,
  name: string,
  wanted: Partial<Pick<ChannelView, 'status' | 'count'>>,
): Promise<ChannelView> {
  const handle = await page
    .waitForFunction(
      ({ channel, fields }) => {
        const view = (window as unknown as { view(n: string): ChannelView }).view(channel)
        const matches = Object.entries(fields).every(
          ([field, value]) => view[field as keyof ChannelView] === value,
        )
        return matches ? view : null
      },
      { channel: name, fields: wanted },
      { timeout: 15_000 },
    )
    .catch(async (error: Error) => {
      const last = await page.evaluate(
        (channel) => (window as unknown as { view(n: string): ChannelView }).view(channel),
        name,
      )
      throw new Error(
        `${name}: waited for ${JSON.stringify(wanted)}, last ${JSON.stringify(last)}`,
        {
          cause: error,
        },
      )
    })
  return (await handle.jsonValue()) as ChannelView
}

describe('a web front end of the service, in Chromium', () => {
  it('joins presence and private channels in one batched request, sees the other member, and gets typed refusals', {
    timeout: 60_000,
  }, async () => {
    const channels = ['presence-user@1', 'private-user@1', 'presence-user@999']
    const alice = await openPage('token-alice', '1', channels)
    const bob = await openPage('token-bob', '2', channels)

    const seenByAlice = await viewWhen(alice.page, 'presence-user@1', { count: 2 })
    expect(seenByAlice).toEqual({
      status: 'subscribed',
      count: 2,
      ids: ['1', '2'],
      me: '1',
      code: null,
    })
    const seenByBob = await viewWhen(bob.page, 'presence-user@1', { count: 2 })
    expect(seenByBob).toMatchObject({ ids: ['1', '2'], me: '2' })
    expect(await viewWhen(alice.page, 'private-user@1', { status: 'subscribed' })).toMatchObject({
      code: null,
    })
    // A profile that does not exist: the authorizer's typed refusal reaches the page.
    expect(await viewWhen(alice.page, 'presence-user@999', { status: 'forbidden' })).toMatchObject({
      count: 0,
      code: 'USER_NOT_FOUND',
    })

    // Three channels subscribed in one tick: one request, to the batch path of presence.handler;
    // besides it, the connection signs in once (a user is set and auth names the endpoint family).
    for (const { requests } of [alice, bob])
      expect([...requests].sort()).toEqual(['POST /pusher/batch', 'POST /pusher/user-auth'])

    // Bob closes his tab: alice's list drops him.
    await bob.page.close()
    expect(await viewWhen(alice.page, 'presence-user@1', { count: 1 })).toMatchObject({
      ids: ['1'],
    })
    await alice.page.close()
  })

  it('decrypts an encrypted channel with pusher-js/with-encryption', {
    timeout: 60_000,
  }, async () => {
    const node = stack.nodes[0]!
    const channel = 'private-encrypted-stream@42'
    const page = await browser.newPage()
    await page.goto(`${node.url}/front-end`)
    await page.evaluate(
      ({ key, pusherJsOptions, channel }) => {
        const { createPresenceClient, PusherWithEncryption } = window as unknown as {
          createPresenceClient: typeof import('@presence/client').createPresenceClient
          PusherWithEncryption: typeof import('pusher-js/with-encryption').default
        }
        // The app's own pusher-js instance, the encryption build, handed to the client.
        const pusher = new PusherWithEncryption(key, pusherJsOptions)
        const client = createPresenceClient({
          pusher,
          auth: { endpoint: '/pusher', headers: { Authorization: 'Bearer token-bob' } },
        })
        const received: unknown[] = []
        client.on(channel, 'tip.message', (data) => received.push(data))
        client.subscribe(channel)
        Object.assign(window, {
          encrypted: () => ({ status: client.members(channel).getSnapshot().status, received }),
        })
      },
      { key: node.soketi.key, pusherJsOptions: node.soketi.pusherJsOptions, channel },
    )
    type Encrypted = { status: string; received: unknown[] }
    const read = () =>
      page.evaluate(() => (window as unknown as { encrypted(): Encrypted }).encrypted())
    await page.waitForFunction(
      () => (window as unknown as { encrypted(): Encrypted }).encrypted().status === 'subscribed',
      undefined,
      { timeout: 15_000 },
    )
    // The pusher SDK encrypts with the same master key; soketi relays only ciphertext.
    const sdk = new Pusher({
      ...node.soketi.pusherOptions,
      encryptionMasterKeyBase64: stack.encryptionMasterKeyBase64!,
    })
    const tip = { from: 'carol', text: 'from the browser' }
    await sdk.trigger(channel, 'tip.message', tip)
    await page.waitForFunction(
      () => (window as unknown as { encrypted(): Encrypted }).encrypted().received.length > 0,
      undefined,
      { timeout: 15_000 },
    )
    expect((await read()).received).toEqual([tip])
    await page.close()
  })
})
