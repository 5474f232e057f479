import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getFreePort, launchChromium, sleep, soketiChannelUsers, waitFor } from '@presence/testing'
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../lib/demo-users'
import { type SimulatedUser, signIn, simulateUser } from '../scripts/simulated-user'
import { type Stack, startStack } from '../scripts/stack'

// The messenger's active list, end to end in Chromium against soketi. The screenshots it
// takes are the ones examples/nextjs/README.md shows.

const screenshots = fileURLToPath(new URL('./__screenshots__/', import.meta.url))
const CHANNEL = 'presence-messenger'

let stack: Stack
let browser: Browser
let dataDir: string
const contexts: BrowserContext[] = []
const simulated: SimulatedUser[] = []
/** Every answer a page got with a 4xx/5xx status (a missing favicon would show up here). */
const failedLoads: string[] = []
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'presence-nextjs-'))
  // builds (`next build --webpack`) only when .next is missing or older than its sources
  stack = await startStack({
    appPort: await getFreePort(),
    soketiPort: await getFreePort(),
    databasePath: join(dataDir, 'messenger.db'),
  })
  browser = await launchChromium()
}, 600_000)

afterAll(async () => {
  for (const user of simulated) user.stop()
  for (const context of contexts) await context.close().catch(() => {})
  await browser?.close()
  await stack?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

async function openPage(viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport })
  contexts.push(context)
  const page = await context.newPage()
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/pusher/')) {
      failedLoads.push(`${response.status()} ${response.url()}`)
    }
  })
  await page.goto(stack.url)
  return page
}

async function signInPage(email: string, viewport = DESKTOP): Promise<Page> {
  const page = await openPage(viewport)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', DEMO_PASSWORD)
  await page.click('button[type=submit]')
  // attached, not visible: a phone-width header shows the name only
  await page.getByTestId('whoami').getByText(email).waitFor({ state: 'attached', timeout: 15_000 })
  return page
}

const badge = (page: Page, email: string) =>
  page.getByTestId(`user-${email}`).getByTestId('active-badge')

/**
 * A page whose websocket goes through a relay the test can cut, like a Wi-Fi blip: `cut()`
 * closes the page's socket and the relay's socket to soketi (soketi drops the member at once
 * and tells everyone), and refuses new sockets until `restore()`. Chromium's offline
 * emulation (`Network.emulateNetworkConditions`) is no use here: it does not touch a
 * websocket that is already open.
 */
async function signInBehindRelay(email: string) {
  let down = false
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>()
  const context = await browser.newContext({ viewport: DESKTOP })
  contexts.push(context)
  await context.routeWebSocket(/.*/, (ws) => {
    // Refused while the network is down: the page sees its socket close, as with a dead link.
    if (down) return void ws.close()
    const server = ws.connectToServer()
    const pair = { page: ws, server }
    open.add(pair)
    ws.onClose(() => open.delete(pair))
  })
  const page = await context.newPage()
  await page.goto(stack.url)
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', DEMO_PASSWORD)
  await page.click('button[type=submit]')
  await page.getByTestId('whoami').getByText(email).waitFor({ state: 'attached', timeout: 15_000 })
  return {
    page,
    /** The sockets relayed right now. */
    relayed: () => open.size,
    async cut() {
      down = true
      for (const { page: pageSide, server } of [...open]) {
        await server.close()
        await pageSide.close()
      }
      open.clear()
    },
    restore() {
      down = false
    },
  }
}

/**
 * Closes the pages earlier tests left signed in, and waits until soketi has let their members
 * go: a test that watches one member come and go must be the only one holding that member.
 */
async function closeEarlierPages() {
  for (const context of contexts.splice(0)) await context.close().catch(() => {})
  for (const user of simulated.splice(0)) user.stop()
  await waitFor(async () => (await soketiChannelUsers(stack.soketi, CHANNEL)).length === 0, {
    timeoutMs: 10_000,
    what: 'an empty presence-messenger',
  })
}

/**
 * Records, in the page, every state the conversation row of `email` goes through (whether
 * the row says active and whether its badge is there), from now on, at every DOM mutation.
 */
async function recordBadge(page: Page, email: string): Promise<() => Promise<string[]>> {
  await page.evaluate((testId) => {
    const row = document.querySelector(`[data-testid="${testId}"]`)
    if (!row) throw new Error(`no row ${testId}`)
    const seen: string[] = []
    const read = () =>
      `${row.getAttribute('data-active')}/${row.querySelector('[data-testid=active-badge]') ? 'badge' : 'none'}`
    seen.push(read())
    new MutationObserver(() => {
      const now = read()
      if (seen.at(-1) !== now) seen.push(now)
    }).observe(row, { attributes: true, childList: true, subtree: true })
    ;(window as unknown as { badgeStates: string[] }).badgeStates = seen
  }, `user-${email}`)
  return () =>
    page.evaluate(() => [...(window as unknown as { badgeStates: string[] }).badgeStates])
}

/** Records every text the developer panel's channel status shows, from now on. */
async function recordStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const status = document.querySelector('[data-testid=status]')
    if (!status) throw new Error('no status')
    const seen = [status.textContent ?? '']
    new MutationObserver(() => {
      const now = status.textContent ?? ''
      if (seen.at(-1) !== now) seen.push(now)
    }).observe(status, { characterData: true, childList: true, subtree: true })
    ;(window as unknown as { statusTexts: string[] }).statusTexts = seen
  })
  return () =>
    page.evaluate(() => [...(window as unknown as { statusTexts: string[] }).statusTexts])
}

describe('examples/nextjs: messenger presence', () => {
  it('shows each signed-in browser as Active in the other, and drops a user who signs out once the leave grace (5 s) is over', async () => {
    const ada = await signInPage('ada@example.com')
    const grace = await signInPage('grace@example.com')

    await badge(ada, 'grace@example.com').waitFor({ timeout: 15_000 })
    await badge(grace, 'ada@example.com').waitFor({ timeout: 15_000 })
    // each page sees itself too, and the developer panel reports the joined channel
    await badge(ada, 'ada@example.com').waitFor()
    expect(await ada.getByTestId('status').textContent()).toBe('subscribed')
    expect(await ada.getByTestId('active-count').textContent()).toBe('2')
    // the header names the signed-in user; the open conversation says Grace is active
    expect(await ada.getByTestId('whoami').textContent()).toContain('Ada Lovelace')
    await ada.getByTestId('user-grace@example.com').getByRole('button').click()
    await ada.getByTestId('pane-presence').getByText('Active now').waitFor()
    // nobody else is active: the badge follows the channel, not the user list
    expect(await badge(ada, 'alan@example.com').count()).toBe(0)
    // the developer details are folded away until asked for
    expect(await ada.getByTestId('channel-status').isVisible()).toBe(false)

    // soketi's own view of the channel agrees with the pages
    const members = await soketiChannelUsers(stack.soketi, CHANNEL)
    expect(members).toHaveLength(2)

    await ada.screenshot({ path: join(screenshots, 'signed-in.png') })

    await grace.getByRole('button', { name: 'Sign out' }).click()
    await grace.getByTestId('whoami').getByText('Signed out').waitFor({ timeout: 10_000 })
    // the example's leaveGraceMs is 5 s: the badge goes then (10 s of slack for a loaded machine)
    await badge(ada, 'grace@example.com').waitFor({ state: 'detached', timeout: 15_000 })
    expect(await badge(ada, 'ada@example.com').count()).toBe(1)
    // the signed-out page left the channel: it shows no badges at all, and says why
    expect(await grace.getByTestId('active-badge').count()).toBe(0)
    expect(await grace.getByTestId('status').textContent()).toBe('idle')
    await grace.getByTestId('signed-out-notice').waitFor()
  })

  it('fits a phone screen: the list above the conversation, nothing wider than the screen', async () => {
    const page = await signInPage('grace@example.com', PHONE)
    await badge(page, 'ada@example.com').waitFor({ timeout: 15_000 })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(PHONE.width)
    const list = await page.getByTestId('users').boundingBox()
    const pane = await page.getByTestId('pane-presence').boundingBox()
    expect(list!.width).toBeGreaterThan(PHONE.width * 0.9)
    expect(pane!.y).toBeGreaterThan(list!.y)
    await page.screenshot({ path: join(screenshots, 'phone.png') })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByTestId('whoami').getByText('Signed out').waitFor({ timeout: 10_000 })
  })

  it("shows users signed in from Node (the demo's simulated users) as Active", async () => {
    const page = await signInPage('katherine@example.com')
    simulated.push(await simulateUser(stack.url, stack.soketi, 'alan@example.com', DEMO_PASSWORD))
    await badge(page, 'alan@example.com').waitFor({ timeout: 15_000 })
    simulated.pop()?.stop()
    await badge(page, 'alan@example.com').waitFor({ state: 'detached', timeout: 15_000 })
  })

  it("refuses a signed-out page's forged subscription and shows no members", async () => {
    // someone is online, so an empty list below means "refused", not "nobody there"
    expect(await soketiChannelUsers(stack.soketi, CHANNEL)).not.toHaveLength(0)

    const page = await openPage()
    await page.getByTestId('whoami').getByText('Signed out').waitFor()
    // signed out: the list explains why nobody is active, though someone is
    await page.getByTestId('signed-out-notice').getByText('signed out').waitFor()
    expect(await page.getByTestId('active-badge').count()).toBe(0)
    await page.screenshot({ path: join(screenshots, 'signed-out.png') })

    // the channel's authorization (the client also asks /api/pusher/user-auth to sign the
    // connection in, refused the same way)
    const response = page.waitForResponse((res) => /\/api\/pusher\/(batch|auth)$/.test(res.url()))
    await page.getByText('Developer details').click()
    await page.getByRole('button', { name: 'Try to subscribe anyway' }).click()

    // the page's client asked the batch endpoint, which refused the channel
    const answer = await response
    const body = (await answer.json()) as Record<
      string,
      { error?: { code: string; status: number } }
    >
    expect(body[CHANNEL]?.error).toEqual({ code: 'UNAUTHENTICATED', status: 401 })

    const result = page.getByTestId('forged-result')
    await result.and(page.locator('[data-status=unauthenticated]')).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('forged-http').textContent()).toBe('401')
    expect(await page.getByTestId('forged-code').textContent()).toBe('UNAUTHENTICATED')
    expect(await page.getByTestId('forged-count').textContent()).toBe('0')
    expect(await page.getByTestId('active-badge').count()).toBe(0)
    // the refusal is said once: status and code, no repeated code in parentheses
    const refusal = await page.getByTestId('forged-result').textContent()
    expect(refusal?.match(/UNAUTHENTICATED/g)).toHaveLength(1)
    // and the websocket server never admitted the forged member
    expect(await soketiChannelUsers(stack.soketi, CHANNEL)).not.toContain('forged-user')
    await page.screenshot({ path: join(screenshots, 'refused.png'), fullPage: true })
  })

  it('loads every page resource, the favicon included, without a 404', async () => {
    for (const path of ['/favicon.ico', '/icon.svg']) {
      const res = await fetch(`${stack.url}${path}`)
      expect(res.status, path).toBe(200)
    }
    expect(failedLoads).toEqual([])
  })

  it('signs presence-messenger with the user_info of the session, and nothing else', async () => {
    const socketId = '1234.5678'
    const form = new URLSearchParams({ socket_id: socketId, channel_name: CHANNEL })
    const anonymous = await fetch(`${stack.url}/api/pusher/auth`, { method: 'POST', body: form })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })

    const { cookie, userId } = await signIn(stack.url, 'ada@example.com', DEMO_PASSWORD)
    const signed = await fetch(`${stack.url}/api/pusher/auth`, {
      method: 'POST',
      body: form,
      headers: { cookie },
    })
    expect(signed.status).toBe(200)
    const { auth, channel_data } = (await signed.json()) as { auth: string; channel_data: string }
    expect(auth).toMatch(new RegExp(`^${stack.soketi.key}:[0-9a-f]{64}$`))
    expect(JSON.parse(channel_data)).toEqual({
      user_id: userId,
      user_info: { name: 'Ada Lovelace', email: 'ada@example.com', image: null },
    })

    // a channel the app never declared: 403 for a session, 401 (learn nothing) without one
    const unknown = new URLSearchParams({ socket_id: socketId, channel_name: 'presence-admins' })
    const refused = await fetch(`${stack.url}/api/pusher/auth`, {
      method: 'POST',
      body: unknown,
      headers: { cookie },
    })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ error: { code: 'CHANNEL_UNKNOWN' } })
    const probed = await fetch(`${stack.url}/api/pusher/auth`, { method: 'POST', body: unknown })
    expect(probed.status).toBe(401)
  })

  it("keeps a member's badge on through a 1.5 s network blip, and greys it after a real leave", async () => {
    await closeEarlierPages()
    const ada = await signInBehindRelay('ada@example.com')
    await waitFor(async () => (await soketiChannelUsers(stack.soketi, CHANNEL)).length === 1, {
      timeoutMs: 15_000,
      what: 'Ada alone in the channel',
    })
    const [adaId] = await soketiChannelUsers(stack.soketi, CHANNEL)
    const grace = await signInPage('grace@example.com')
    await badge(grace, 'ada@example.com').waitFor({ timeout: 15_000 })
    await badge(ada.page, 'grace@example.com').waitFor({ timeout: 15_000 })
    expect(ada.relayed()).toBe(1)
    const history = await recordBadge(grace, 'ada@example.com')
    const adaStatus = await recordStatus(ada.page)

    await ada.cut()
    // the blip is real: soketi dropped Ada's connection and member at once
    await waitFor(async () => !(await soketiChannelUsers(stack.soketi, CHANNEL)).includes(adaId!), {
      timeoutMs: 2_000,
      intervalMs: 50,
      what: 'soketi to drop the cut member',
    })
    await sleep(1_500)
    ada.restore()
    // Ada's page reconnects (pusher-js retries) and soketi has her back
    await waitFor(async () => (await soketiChannelUsers(stack.soketi, CHANNEL)).includes(adaId!), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the cut member to rejoin',
    })
    await waitFor(
      async () => (await ada.page.getByTestId('status').textContent()) === 'subscribed',
      {
        timeoutMs: 10_000,
        what: "Ada's channel subscribed again",
      },
    )
    // Grace's view of Ada never changed: one state, recorded before the cut, active with a badge
    expect(await history()).toEqual(['true/badge'])
    // Ada's own page said it was reconnecting, kept Grace, and came back
    expect(await adaStatus()).toEqual(['subscribed', 'reconnecting', 'subscribed'])
    expect(await badge(ada.page, 'grace@example.com').count()).toBe(1)

    // a real leave: the page closes; the badge goes after the example's leave grace (5 s), not before
    const closedAt = Date.now()
    await ada.page.close()
    await badge(grace, 'ada@example.com').waitFor({ state: 'detached', timeout: 15_000 })
    const greyAfter = Date.now() - closedAt
    expect(greyAfter).toBeGreaterThanOrEqual(4_900)
    expect(await history()).toEqual(['true/badge', 'false/none'])
  })

  it('shows "… is typing…" in the other page while someone types, and stops when they stop', async () => {
    await closeEarlierPages()
    const ada = await signInPage('ada@example.com')
    const grace = await signInPage('grace@example.com')
    await badge(ada, 'grace@example.com').waitFor({ timeout: 15_000 })
    await badge(grace, 'ada@example.com').waitFor({ timeout: 15_000 })
    // each opens the conversation with the other
    await ada.getByTestId('user-grace@example.com').getByRole('button').click()
    await grace.getByTestId('user-ada@example.com').getByRole('button').click()
    const typing = grace.getByTestId('typing')
    expect(await typing.textContent()).toBe('')

    await ada.getByTestId('composer').pressSequentially('Are you free for ', { delay: 40 })
    await typing.getByText('Ada is typing…').waitFor({ timeout: 5_000 })
    // Grace's own pane for Ada shows it; Ada's pane for Grace does not (Grace is not typing)
    expect(await ada.getByTestId('typing').textContent()).toBe('')
    await grace.screenshot({ path: join(screenshots, 'typing.png') })
    await grace.getByRole('region', { name: 'Conversation with Ada Lovelace' }).screenshot({
      path: join(screenshots, 'typing-pane.png'),
    })

    // sending stops it at once
    await ada.getByTestId('composer').pressSequentially('lunch?', { delay: 40 })
    await ada.getByRole('button', { name: 'Send' }).click()
    await typing.getByText('Ada is typing…').waitFor({ state: 'detached', timeout: 3_000 })
    expect(await ada.getByTestId('composer').inputValue()).toBe('')

    // typing again, then idle: it stops by itself after the idle time (2 s)
    await ada.getByTestId('composer').pressSequentially('one more', { delay: 40 })
    await typing.getByText('Ada is typing…').waitFor({ timeout: 5_000 })
    const idleFrom = Date.now()
    await typing.getByText('Ada is typing…').waitFor({ state: 'detached', timeout: 6_000 })
    expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(1_500)
    for (const page of [ada, grace]) {
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByTestId('whoami').getByText('Signed out').waitFor({ timeout: 10_000 })
    }
  })
})
