/**
 * The unpacked extension in Debian's Chromium (new headless mode), against the real backend
 * (demo mode, better-auth tokens) and soketi on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildExtension } from './build.js'
import { EXTENSION_ID, EXTENSION_ORIGIN } from './extension-id.js'
import { DEMO } from './server/demo-data.js'
import {
  type ExtensionConfig,
  sessionChannelName,
  VIEW_KEY,
  type WatchView,
} from './shared/protocol.js'
import { startTestBackend, type TestBackend } from './testing/backend.js'
import { type ExtensionBrowser, launchWithExtension } from './testing/chromium.js'

const { sessions } = DEMO
const POLL_INTERVAL_MS = 300

let soketi: SoketiServer
let backend: TestBackend
let outDir: string
let browser: ExtensionBrowser
let popup: Page
let foreignSite: Server

beforeAll(async () => {
  soketi = await startSoketi()
  backend = await startTestBackend({ pusher: soketi.pusherOptions, debug: true })
  outDir = await mkdtemp(join(tmpdir(), 'presence-extension-'))
  await buildExtension({ outDir })
  browser = await launchWithExtension(outDir)
  const config: ExtensionConfig = {
    backendUrl: backend.url,
    pusherKey: soketi.key,
    wsHost: '127.0.0.1',
    wsPort: soketi.port,
    forceTLS: false,
    pollIntervalMs: POLL_INTERVAL_MS,
  }
  await browser.setStorage({ config })
  popup = await browser.openPage('popup.html')
  // A page of another origin, for the CORS check.
  foreignSite = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html')
    res.end('<!doctype html><title>elsewhere</title>')
  })
  await new Promise<void>((resolve) => foreignSite.listen(0, '127.0.0.1', resolve))
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) =>
    foreignSite ? foreignSite.close(() => resolve()) : resolve(),
  )
  await backend?.close()
  await soketi?.stop()
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

const text = async (selector: string) => (await popup.locator(selector).textContent()) ?? ''
const view = () =>
  popup.evaluate(
    async (key) => (await chrome.storage.session.get(key))[key] as WatchView | undefined,
    VIEW_KEY,
  )

/** Points the extension at a session with a token (or none), as a user would in the popup. */
async function watch(sessionId: string, token: string | null) {
  if (token === null) {
    await browser.removeStorage(['accessToken'])
    await browser.setStorage({ sessionId })
  } else {
    await browser.setStorage({ accessToken: token, sessionId })
  }
}

const tokenOf = async (user: keyof typeof DEMO.users, options?: { organization?: boolean }) =>
  (await backend.signIn(user, options)).token

const pollsFor = (sessionId: string) =>
  backend.requests.filter(
    (request) => request.method === 'GET' && request.path === `/api/sessions/${sessionId}`,
  )

it('loads with the id derived from the manifest key', () => {
  expect(browser.extensionId).toBe(EXTENSION_ID)
})

describe('acceptance 1: a Bearer token from chrome.storage.local, live events on private-session-<id>', () => {
  it('subscribes, shows the current state, then shows events triggered through soketi', async () => {
    const token = await tokenOf('alice', { organization: true })
    await watch(sessions.alice, token)

    await popup.locator('body[data-mode="live"]').waitFor({ timeout: 20_000 })
    expect(await text('#channel')).toBe(sessionChannelName(sessions.alice))
    // The retained event of the auth answer: the state at subscription time.
    await expect.poll(() => text('#title')).toBe('Alice: onboarding call')

    const authRequest = backend.requests.find(
      (request) => request.path === '/api/pusher/auth' && request.method === 'POST',
    )
    expect(authRequest).toMatchObject({
      method: 'POST',
      status: 200,
      origin: EXTENSION_ORIGIN,
      credential: 'bearer',
    })

    // A PATCH (owner only) writes SQLite and calls pusher.trigger against soketi.
    const patched = await fetch(`${backend.url}/api/sessions/${sessions.alice}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Alice: call moved to 3pm', status: 'rescheduled' }),
    })
    expect(patched.status).toBe(200)
    await expect.poll(() => text('#title'), { timeout: 10_000 }).toBe('Alice: call moved to 3pm')
    expect(await text('#status')).toBe('rescheduled')
    expect(await text('#source')).toBe('realtime')

    // And a raw pusher.trigger reaches the UI just the same.
    await backend.backend.pusher.trigger(sessionChannelName(sessions.alice), 'session-updated', {
      sessionId: sessions.alice,
      title: 'Alice: triggered directly',
      status: 'open',
      version: 99,
      updatedAt: Date.now(),
    })
    await expect.poll(() => text('#version'), { timeout: 10_000 }).toBe('99')
    expect(await text('#title')).toBe('Alice: triggered directly')
    expect(Number(await text('#events'))).toBeGreaterThanOrEqual(3)
    // Live: nothing polls.
    expect(pollsFor(sessions.alice)).toHaveLength(0)
    expect((await view())?.connection).toBe('connected')
  })
})

describe('the service worker restarts only when a key it reads changes', () => {
  const authRequests = () =>
    backend.requests.filter(
      (request) => request.method === 'POST' && request.path === '/api/pusher/auth',
    ).length

  it('20 unrelated storage changes: no restart, one alarm listener; a new token restarts it', async () => {
    await watch(sessions.alice, await tokenOf('alice', { organization: true }))
    await popup.locator('body[data-mode="live"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => text('#title')).not.toBe('—')
    // From here on, count the listeners the running worker adds (it registered its own at start).
    await browser.serviceWorker.evaluate(() => {
      const counters = { alarm: 0, storage: 0 }
      Object.assign(globalThis, { __addedListeners: counters })
      const count = (
        event: { addListener: (...args: never[]) => void },
        key: 'alarm' | 'storage',
      ) => {
        const original = event.addListener.bind(event)
        event.addListener = (...args: never[]) => {
          counters[key] += 1
          original(...args)
        }
      }
      count(chrome.alarms.onAlarm, 'alarm')
      count(chrome.storage.onChanged, 'storage')
    })
    const before = { auth: authRequests(), view: await view() }

    for (let i = 0; i < 20; i += 1) await browser.setStorage({ [`unrelated-${i}`]: { at: i } })
    // The watched keys written again with the values they hold are no change either.
    const stored = await popup.evaluate(() =>
      chrome.storage.local.get(['accessToken', 'sessionId']),
    )
    await browser.setStorage(stored)
    // A restart would open a new socket and ask /api/pusher/auth again within this time.
    await new Promise((resolve) => setTimeout(resolve, 3_000))

    expect(authRequests()).toBe(before.auth)
    const after = await view()
    expect(after?.mode).toBe('live')
    expect(after?.events).toBe(before.view?.events)
    expect(after?.connection).toBe('connected')
    const listeners = await browser.serviceWorker.evaluate(async () => ({
      added: (globalThis as unknown as { __addedListeners: { alarm: number; storage: number } })
        .__addedListeners,
      alarmListening: chrome.alarms.onAlarm.hasListeners(),
      alarms: (await chrome.alarms.getAll()).map((alarm) => alarm.name),
    }))
    expect(listeners).toEqual({
      added: { alarm: 0, storage: 0 },
      alarmListening: true,
      alarms: ['presence-wake'],
    })

    // The token key changing is what restarts it: a new subscription, asked with the new token.
    await browser.setStorage({ accessToken: await tokenOf('alice', { organization: true }) })
    await waitFor(() => authRequests() > before.auth, { what: 'the restarted subscription' })
    await popup.locator('body[data-mode="live"]').waitFor({ timeout: 15_000 })
    expect(
      await browser.serviceWorker.evaluate(
        () =>
          (globalThis as unknown as { __addedListeners: { alarm: number } }).__addedListeners.alarm,
      ),
    ).toBe(0)
  })
})

describe('acceptance 2: refusals are shown with their code and fall back to polling', () => {
  it("another tenant's session → SESSION_NOT_FOUND; the poll answers 404 too", async () => {
    await watch(sessions.carol, await tokenOf('alice', { organization: true }))

    await expect.poll(() => text('#code'), { timeout: 15_000 }).toBe('SESSION_NOT_FOUND')
    expect(await popup.locator('body').getAttribute('data-mode')).toBe('polling')
    expect(await text('#http-status')).toBe('403')
    // Debug mode: the server's message names the tenant it looked in.
    expect(await text('#message')).toContain(`tenantId=${backend.ids.organization}`)

    await waitFor(() => pollsFor(sessions.carol).length >= 2, { what: 'two polls of sess-carol' })
    expect(pollsFor(sessions.carol).every((request) => request.status === 404)).toBe(true)
    expect(pollsFor(sessions.carol)[0]).toMatchObject({
      origin: EXTENSION_ORIGIN,
      credential: 'bearer',
    })
    await expect.poll(() => text('#poll-status')).toBe('404 SESSION_NOT_FOUND')
    await expect.poll(async () => Number(await text('#polls'))).toBeGreaterThanOrEqual(2)
  })

  it("another user's session → USER_MISMATCH; polling shows it and follows its updates", async () => {
    await watch(sessions.bob, await tokenOf('alice', { organization: true }))

    await expect.poll(() => text('#code'), { timeout: 15_000 }).toBe('USER_MISMATCH')
    expect(await popup.locator('body').getAttribute('data-mode')).toBe('polling')
    await expect.poll(() => text('#title')).toBe('Bob: quarterly review')
    expect(await text('#source')).toBe('poll')
    await expect.poll(() => text('#poll-status')).toBe('200 OK')

    // Bob changes his session; Alice's extension only learns it by polling.
    const bobToken = await tokenOf('bob', { organization: true })
    const before = pollsFor(sessions.bob).length
    const patched = await fetch(`${backend.url}/api/sessions/${sessions.bob}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${bobToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'in-review' }),
    })
    expect(patched.status).toBe(200)
    await expect.poll(() => text('#status'), { timeout: 10_000 }).toBe('in-review')
    expect(pollsFor(sessions.bob).length).toBeGreaterThan(before)
    expect(await text('#source')).toBe('poll')
  })

  it('no token → 401 UNAUTHENTICATED; the polls are 401 as well', async () => {
    await watch(sessions.alice, null)

    await expect.poll(() => text('#code'), { timeout: 15_000 }).toBe('UNAUTHENTICATED')
    // The status line and the mode are rendered by the refusal and by the first poll, which may
    // land a little later on a busy machine.
    await expect.poll(() => text('#http-status'), { timeout: 15_000 }).toBe('401')
    expect(await text('#token')).toBe('no token')
    await expect
      .poll(() => popup.locator('body').getAttribute('data-mode'), { timeout: 15_000 })
      .toBe('polling')
    const refused = backend.requests.filter(
      (request) => request.path === '/api/pusher/auth' && request.status === 401,
    )
    expect(refused.at(-1)).toMatchObject({ credential: 'none', origin: EXTENSION_ORIGIN })

    await waitFor(() => pollsFor(sessions.alice).filter((r) => r.status === 401).length >= 2, {
      what: 'two 401 polls of sess-alice',
    })
    await expect.poll(() => text('#poll-status')).toBe('401 UNAUTHENTICATED')
  })

  it('a token saved in the popup form brings the channel back to live and stops polling', async () => {
    await popup.fill('#token-input', await tokenOf('alice', { organization: true }))
    await popup.fill('#session-input', sessions.alice)
    await popup.click('button[type="submit"]')
    await popup.locator('body[data-mode="live"]').waitFor({ timeout: 15_000 })
    expect(await text('#code')).toBe('')
    expect(await text('#token')).toBe('Bearer token set')
    const settled = pollsFor(sessions.alice).length
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS * 4))
    expect(pollsFor(sessions.alice).length).toBe(settled)
  })

  it('after Chrome terminates the service worker, a restarted worker resubscribes from storage', async () => {
    await browser.stopServiceWorker()
    // The socket went with the worker; clear the stale view so only a new worker can say live.
    await popup.evaluate(() => chrome.storage.session.remove('view'))
    // Any extension event wakes the worker; here, the popup saving new settings: Alice's
    // personal tenant (a token without organization) and the session stored under it.
    await popup.fill('#token-input', await tokenOf('alice'))
    await popup.fill('#session-input', sessions.alicePersonal)
    await popup.click('button[type="submit"]')
    await browser.serviceWorkerRunning()
    await popup.locator('body[data-mode="live"]').waitFor({ timeout: 15_000 })
    expect(await text('#channel')).toBe(sessionChannelName(sessions.alicePersonal))
    // "live" is shown once the subscription succeeded; soketi may still be registering the new
    // socket on a busy machine, so the (idempotent, same version) event is sent again on each poll
    // until the restarted worker shows it. It can only arrive through the new subscription.
    const update = {
      sessionId: sessions.alicePersonal,
      title: 'Alice: after the restart',
      status: 'open',
      version: 100,
      updatedAt: Date.now(),
    }
    await expect
      .poll(
        async () => {
          await backend.backend.pusher.trigger(
            sessionChannelName(sessions.alicePersonal),
            'session-updated',
            update,
          )
          return text('#title')
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe('Alice: after the restart')
  })

  it('a page of another origin gets no CORS grant: its fetch fails, the extension page’s works', async () => {
    const { port } = foreignSite.address() as AddressInfo
    const foreignOrigin = `http://localhost:${port}`
    const page = await browser.context.newPage()
    try {
      await page.goto(`${foreignOrigin}/`)
      const args: [string, string] = [
        `${backend.url}/api/pusher/auth`,
        await tokenOf('alice', { organization: true }),
      ]
      expect(await page.evaluate(tryAuth, args)).toBe('blocked: TypeError')
      const preflight = backend.requests.findLast(
        (request) => request.method === 'OPTIONS' && request.origin === foreignOrigin,
      )
      expect(preflight).toBeDefined()
      // The same request from the extension's page is granted.
      expect(await popup.evaluate(tryAuth, args)).toBe('status 200')
    } finally {
      await page.close()
    }
  })
})

/** Runs in a page: the extension's auth request, reporting whether the browser let it through. */
function tryAuth([url, bearer]: [string, string]): Promise<string> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'socket_id=1234.5678&channel_name=private-session-sess-alice',
  }).then(
    (response) => `status ${response.status}`,
    (error: Error) => `blocked: ${error.name}`,
  )
}
