import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getFreePort, launchChromium, soketiChannelUsers } from '@presence/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../lib/demo-users'
import { type SimulatedUser, signIn, simulateUser } from '../scripts/simulated-user'
import { type Stack, startStack } from '../scripts/stack'

// Issue 7: seed 000's messenger presence, end to end in Chromium against soketi.

const screenshots = fileURLToPath(new URL('./__screenshots__/', import.meta.url))
const CHANNEL = 'presence-messenger'

let stack: Stack
let browser: Browser
let dataDir: string
const contexts: BrowserContext[] = []
const simulated: SimulatedUser[] = []

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

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(stack.url)
  return page
}

async function signInPage(email: string): Promise<Page> {
  const page = await openPage()
  await page.fill('input[name=email]', email)
  await page.fill('input[name=password]', DEMO_PASSWORD)
  await page.click('button[type=submit]')
  await page.getByTestId('whoami').getByText(email).waitFor({ timeout: 15_000 })
  return page
}

const badge = (page: Page, email: string) =>
  page.getByTestId(`user-${email}`).getByTestId('active-badge')

describe('examples/nextjs: messenger presence', () => {
  it('shows each signed-in browser as Active in the other, and drops a user who signs out within 5 s', async () => {
    const ada = await signInPage('ada@example.com')
    const grace = await signInPage('grace@example.com')

    await badge(ada, 'grace@example.com').waitFor({ timeout: 15_000 })
    await badge(grace, 'ada@example.com').waitFor({ timeout: 15_000 })
    // each page sees itself too, and the status line reports the joined channel
    await badge(ada, 'ada@example.com').waitFor()
    expect(await ada.getByTestId('status').textContent()).toBe('subscribed')
    expect(await ada.getByTestId('active-now').textContent()).toContain('Grace Hopper')
    expect(await ada.getByTestId('active-count').textContent()).toBe('2')
    // nobody else is active: the badge follows the channel, not the user list
    expect(await badge(ada, 'alan@example.com').count()).toBe(0)

    // soketi's own view of the channel agrees with the pages
    const members = await soketiChannelUsers(stack.soketi, CHANNEL)
    expect(members).toHaveLength(2)

    await ada.screenshot({ path: join(screenshots, 'presence.png'), fullPage: true })

    await grace.getByRole('button', { name: 'Sign out' }).click()
    await grace.getByTestId('whoami').getByText('Signed out').waitFor({ timeout: 10_000 })
    await badge(ada, 'grace@example.com').waitFor({ state: 'detached', timeout: 5_000 })
    expect(await badge(ada, 'ada@example.com').count()).toBe(1)
    // the signed-out page left the channel: it shows no badges at all
    expect(await grace.getByTestId('active-badge').count()).toBe(0)
    expect(await grace.getByTestId('status').textContent()).toBe('idle')
  })

  it("shows users signed in from Node (the demo's simulated users) as Active", async () => {
    const page = await signInPage('katherine@example.com')
    simulated.push(await simulateUser(stack.url, stack.soketi, 'alan@example.com', DEMO_PASSWORD))
    await badge(page, 'alan@example.com').waitFor({ timeout: 15_000 })
    simulated.pop()?.stop()
    await badge(page, 'alan@example.com').waitFor({ state: 'detached', timeout: 5_000 })
  })

  it("refuses a signed-out page's forged subscription and shows no members", async () => {
    // someone is online, so an empty list below means "refused", not "nobody there"
    expect(await soketiChannelUsers(stack.soketi, CHANNEL)).not.toHaveLength(0)

    const page = await openPage()
    await page.getByTestId('whoami').getByText('Signed out').waitFor()
    const response = page.waitForResponse((res) => res.url().includes('/api/pusher/'))
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
    // and the websocket server never admitted the forged member
    expect(await soketiChannelUsers(stack.soketi, CHANNEL)).not.toContain('forged-user')
    await page.screenshot({ path: join(screenshots, 'forged.png'), fullPage: true })
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
})
