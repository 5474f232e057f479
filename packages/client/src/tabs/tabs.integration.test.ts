/**
 * One connection per browser, in Chromium: several pages of one browser context (the tabs of
 * one origin) run `createPresenceClient({ tabs: 'shared' })` against soketi and
 * `@presence/server`, and soketi's own counts say how many connections, members and
 * subscriptions they cost.
 */
import { launchChromium } from '@presence/testing'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  openTab,
  startTabsStack,
  type Tab,
  type TabsStack,
  until,
} from '../../test/tabs-harness.js'

let stack: TabsStack
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startTabsStack(), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close()
  // Every test starts from no connection at all.
  await until(
    'connections closed',
    () => stack.connections(),
    (n) => n === 0,
  )
  stack.requests.length = 0
})

/** A browser context (one origin's tabs share it) signed in as `user` by cookie. */
async function signedInContext(user: string): Promise<BrowserContext> {
  const context = await browser.newContext()
  contexts.push(context)
  await context.addCookies([{ name: 'user', value: user, url: stack.origin }])
  return context
}

/** Opens `count` shared tabs one after the other, the first one leading. */
async function openShared(context: BrowserContext, count: number, user = 'alice') {
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) {
    const tab = await openTab(stack, context, { tabs: 'shared', user })
    // The first tab leads before the next opens, so the lead is known.
    if (i === 0)
      await tab.page.waitForFunction(
        () => (window as never as { tabs: { role(): string } }).tabs.role() === 'leader',
      )
    tabs.push(tab)
  }
  return tabs
}

/**
 * The recorded auth requests by kind: the connection's sign-ins (one per connection, since a
 * user is set and `auth` names the endpoint family) apart from the channel authorizations.
 */
function requestsByKind() {
  const signIn = (request: (typeof stack.requests)[number]) => request.path === '/pusher/user-auth'
  return {
    signIns: stack.requests.filter(signIn),
    channels: stack.requests.filter((request) => !signIn(request)),
  }
}
const SIGN_IN = { path: '/pusher/user-auth', user: 'alice', channels: [] }

const PRESENCE = 'presence-room'
const PRIVATES = ['private-a', 'private-b', 'private-c']

describe("tabs: 'shared' in Chromium", () => {
  it('five tabs cost one connection, one member and one batched auth request', async () => {
    const context = await signedInContext('alice')
    const tabs = await openShared(context, 5)
    await tabs[0]!.call('subscribe', PRESENCE, ...PRIVATES)
    await tabs[0]!.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
    for (const tab of tabs.slice(1)) await tab.call('subscribe', PRESENCE, ...PRIVATES)
    for (const tab of tabs) {
      await tab.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'], me: 'alice' })
      for (const name of PRIVATES) await tab.viewWhen(name, { status: 'subscribed' })
    }

    expect(await stack.connections()).toBe(1)
    expect(await stack.users(PRESENCE)).toEqual(['alice'])
    // The first tab's four channels in one batch; none for the other tabs' (already authorized).
    // The one connection signs in once, for all five tabs.
    expect(requestsByKind()).toEqual({
      signIns: [SIGN_IN],
      channels: [{ path: '/pusher/batch', user: 'alice', channels: [PRESENCE, ...PRIVATES] }],
    })
    const roles = await Promise.all(tabs.map((tab) => tab.call('role')))
    expect(roles).toEqual(['leader', 'follower', 'follower', 'follower', 'follower'])
    // Every tab's store equals soketi's member list.
    const soketiUsers = await stack.users(PRESENCE)
    for (const tab of tabs) expect((await tab.call('view', PRESENCE)).ids).toEqual(soketiUsers)
    // The pusher-js instance lives in the leading tab only.
    expect(await tabs[0]!.call('pusherError')).toBeNull()
    expect(await tabs[1]!.call('pusherError')).toBe('FOLLOWER_TAB')
  })

  it("delivers retained and live events to every tab's handlers", async () => {
    const context = await signedInContext('alice')
    const [leader, follower] = await openShared(context, 2)
    for (const tab of [leader!, follower!]) {
      await tab.call('listen', 'private-stream@1', 'retained')
      await tab.call('listen', 'private-stream@1', 'live')
    }
    await follower!.call('subscribe', 'private-stream@1')
    await leader!.call('subscribe', 'private-stream@1')
    await follower!.viewWhen('private-stream@1', { status: 'subscribed' })
    await stack.trigger('private-stream@1', 'live', { n: 3 })
    const expected = [
      ['private-stream@1', 'retained', 1],
      ['private-stream@1', 'retained', 2],
      ['private-stream@1', 'live', { n: 3 }],
    ]
    for (const tab of [leader!, follower!])
      await until(
        'events',
        () => tab.call('events'),
        (events) => events.length >= 3,
      )
    expect(await leader!.call('events')).toEqual(expected)
    expect(await follower!.call('events')).toEqual(expected)
    expect(requestsByKind()).toMatchObject({ signIns: [SIGN_IN], channels: { length: 1 } })
  })

  it('publishes live state and whispers from any tab, and keeps the state across a handoff', async () => {
    const watcherContext = await signedInContext('bob')
    const watcher = await openTab(stack, watcherContext, { tabs: 'own', user: 'bob' })
    await watcher.call('listen', PRESENCE, 'client-wave')
    await watcher.call('subscribe', PRESENCE)
    const context = await signedInContext('alice')
    const [leader, follower, sibling] = await openShared(context, 3)
    for (const tab of [leader!, follower!, sibling!]) {
      await tab.call('listen', PRESENCE, 'client-wave')
      await tab.call('subscribe', PRESENCE)
    }
    await follower!.viewWhen(PRESENCE, { ids: ['alice', 'bob'] })
    await watcher.viewWhen(PRESENCE, { ids: ['alice', 'bob'] })

    await follower!.call('updateMyState', PRESENCE, { typing: true })
    await follower!.call('whisper', PRESENCE, 'wave', { from: 'follower' })
    const statesOf = (tab: Tab) => tab.call('states', PRESENCE)
    await until(
      'bob sees alice typing',
      () => statesOf(watcher),
      (s) => (s.alice as { typing?: boolean })?.typing === true,
    )
    for (const tab of [leader!, follower!, sibling!])
      await until(
        'alice sees her state',
        () => statesOf(tab),
        (s) => (s.alice as { typing?: boolean })?.typing === true,
      )
    const wave = [[PRESENCE, 'client-wave', { from: 'follower' }]]
    await until(
      'bob got the wave',
      () => watcher.call('events'),
      (e) => e.length === 1,
    )
    expect(await watcher.call('events')).toEqual(wave)
    // The other tabs of the browser get it, as with a connection each; the sender does not.
    expect(await leader!.call('events')).toEqual(wave)
    expect(await sibling!.call('events')).toEqual(wave)
    expect(await follower!.call('events')).toEqual([])

    // A new leader's connection publishes the state again.
    await leader!.page.close()
    await until(
      'a new leader',
      async () => [await follower!.call('role'), await sibling!.call('role')],
      (r) => r.includes('leader'),
    )
    await follower!.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice', 'bob'] })
    // Someone joining now learns alice's state from the new leader's connection.
    const lateContext = await signedInContext('carol')
    const late = await openTab(stack, lateContext, { tabs: 'own', user: 'carol' })
    await late.call('subscribe', PRESENCE)
    await until(
      'carol sees alice typing',
      () => statesOf(late),
      (s) => (s.alice as { typing?: boolean })?.typing === true,
    )
  })

  it('unsubscribes a channel when the last tab holding it releases it or closes, not before', async () => {
    const context = await signedInContext('alice')
    const [, tab2, tab3, tab4] = await openShared(context, 4)
    await tab3!.call('subscribe', 'private-only3')
    await tab2!.call('subscribe', 'private-both')
    await tab4!.call('subscribe', 'private-both')
    await tab3!.viewWhen('private-only3', { status: 'subscribed' })
    await tab2!.viewWhen('private-both', { status: 'subscribed' })
    await until('occupied', () => stack.occupied('private-only3'), Boolean)

    // Held for a while: still there (the release grace is 50 ms).
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await stack.occupied('private-only3')).toBe(true)
    await tab3!.call('release', 'private-only3')
    await until(
      'private-only3 vacated',
      () => stack.occupied('private-only3'),
      (o) => !o,
      3000,
    )

    await tab2!.call('release', 'private-both')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await stack.occupied('private-both')).toBe(true)
    await tab4!.viewWhen('private-both', { status: 'subscribed' })

    // A tab that closes releases what it held.
    await tab3!.call('subscribe', 'private-closing')
    await tab3!.viewWhen('private-closing', { status: 'subscribed' })
    await tab3!.page.close()
    await until(
      'private-closing vacated',
      () => stack.occupied('private-closing'),
      (o) => !o,
      3000,
    )
    await tab4!.page.close()
    await until(
      'private-both vacated',
      () => stack.occupied('private-both'),
      (o) => !o,
      3000,
    )
    expect(await stack.connections()).toBe(1)
  })

  it('hands the connection over when the leading tab closes, and nobody sees the user leave', async () => {
    const watcherContext = await signedInContext('bob')
    const watcher = await openTab(stack, watcherContext, { tabs: 'own', user: 'bob' })
    await watcher.call('subscribe', PRESENCE)

    const context = await signedInContext('alice')
    const [leader, ...followers] = await openShared(context, 3)
    for (const [i, tab] of [leader!, ...followers].entries())
      await tab.call('subscribe', PRESENCE, PRIVATES[i]!)
    for (const tab of followers) await tab.viewWhen(PRESENCE, { status: 'subscribed' })
    await watcher.viewWhen(PRESENCE, { ids: ['alice', 'bob'] })
    stack.requests.length = 0
    // From here on, the watcher and the remaining tabs sample alice's presence every 5 ms.
    for (const tab of [watcher, ...followers]) await tab.call('watchPresence', PRESENCE, 'alice')

    const closedAt = Date.now()
    await leader!.page.close()
    const next = await until(
      'a new leader',
      async () => {
        const led = await Promise.all(followers.map((tab) => tab.call('ledAt')))
        return led.find((at) => at !== null) ?? null
      },
      (at) => at !== null,
      5000,
    )
    const handoffMs = next! - closedAt
    for (const [i, tab] of followers.entries()) {
      await tab.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice', 'bob'] })
      await tab.viewWhen(PRIVATES[i + 1]!, { status: 'subscribed' })
    }
    const resubscribedMs = Date.now() - closedAt
    // The closed tab's channel went with it; the others' channels came back in one batch, and
    // the new leader's connection signed in once.
    expect(requestsByKind()).toEqual({
      signIns: [SIGN_IN],
      channels: [
        { path: '/pusher/batch', user: 'alice', channels: [PRESENCE, PRIVATES[1], PRIVATES[2]] },
      ],
    })
    expect(await stack.connections()).toBe(2)
    expect(await stack.users(PRESENCE)).toEqual(['alice', 'bob'])
    expect(await stack.occupied(PRIVATES[0]!)).toBe(false)
    const absences = await Promise.all([watcher, ...followers].map((tab) => tab.call('absences')))
    console.log(
      `handoff: new leader ${handoffMs} ms after the close, every tab subscribed again after ${resubscribedMs} ms; alice absent in ${absences.map((a) => a.length).join('/')} samples (watcher/followers)`,
    )
    // The other user's leave grace covers the gap; the tabs themselves keep their members.
    expect(absences).toEqual([[], [], []])
    expect(handoffMs).toBeLessThan(1500)
  })

  it('does not let a frozen leading tab hold the lead', async () => {
    const context = await signedInContext('alice')
    const [leader, follower] = await openShared(context, 2)
    await leader!.call('subscribe', PRESENCE)
    await follower!.call('subscribe', PRESENCE, 'private-follower')
    await follower!.viewWhen('private-follower', { status: 'subscribed' })

    // What the browser fires before it freezes a background tab (page lifecycle). Chromium's
    // own freezing (CDP Page.setWebLifecycleState) fires no event in headless mode.
    const frozenAt = Date.now()
    await leader!.page.evaluate(() => document.dispatchEvent(new Event('freeze')))
    await until(
      'the follower leads',
      () => follower!.call('role'),
      (role) => role === 'leader',
      5000,
    )
    const ledAfterMs = (await follower!.call('ledAt'))! - frozenAt
    expect(await leader!.call('role')).toBe('follower')
    await follower!.viewWhen('private-follower', { status: 'subscribed' })
    await follower!.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
    await until(
      'one connection',
      () => stack.connections(),
      (n) => n === 1,
    )

    // Resumed: it follows, its channels are held again, and its stores catch up.
    await leader!.page.evaluate(() => document.dispatchEvent(new Event('resume')))
    await leader!.call('subscribe', 'private-resumed')
    await leader!.viewWhen('private-resumed', { status: 'subscribed' })
    await leader!.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
    expect(await leader!.call('role')).toBe('follower')
    expect(await stack.connections()).toBe(1)
    console.log(`freeze: the other tab led ${ledAfterMs} ms after the leading tab froze`)
    expect(ledAfterMs).toBeLessThan(1500)
  })

  it('replaces a leading tab that stops answering without a freeze event', async () => {
    const context = await signedInContext('alice')
    const [leader, follower] = await openShared(context, 2)
    await leader!.call('subscribe', PRESENCE)
    await follower!.call('subscribe', PRESENCE, 'private-follower')
    await follower!.viewWhen('private-follower', { status: 'subscribed' })

    // The leader's page stops running (as a browser that suspends a tab without firing
    // freeze would leave it): its lock stays held, its socket open.
    const cdp = await context.newCDPSession(leader!.page)
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')
    // The user looks at the other tab: its ping goes unanswered, it takes the lock.
    const lookedAt = Date.now()
    await follower!.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
    await until(
      'the follower leads',
      () => follower!.call('role'),
      (role) => role === 'leader',
      5000,
    )
    const ledAfterMs = (await follower!.call('ledAt'))! - lookedAt
    await follower!.viewWhen('private-follower', { status: 'subscribed' })

    // Running again, the old leader learns its lock was taken, closes its connection, follows.
    await cdp.send('Debugger.resume')
    await until(
      'the old leader follows',
      () => leader!.call('role'),
      (r) => r === 'follower',
      5000,
    )
    await until(
      'one connection',
      () => stack.connections(),
      (n) => n === 1,
      5000,
    )
    await leader!.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
    console.log(`unanswered leader: replaced ${ledAfterMs} ms after the other tab was looked at`)
    expect(ledAfterMs).toBeLessThan(1500)
  })

  it('signs out every tab from one, and signs them all in again from another', async () => {
    const context = await signedInContext('alice')
    const tabs = await openShared(context, 3)
    for (const tab of tabs) await tab.call('subscribe', PRESENCE)
    for (const tab of tabs) await tab.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })

    await tabs[1]!.call('setUser', null)
    for (const tab of tabs) {
      await tab.viewWhen(PRESENCE, { status: 'idle', ids: [] })
      expect(await tab.call('user')).toBeNull()
    }
    await until(
      'alice left',
      () => stack.users(PRESENCE),
      (users) => users.length === 0,
    )

    await tabs[2]!.call('setUser', 'alice')
    for (const tab of tabs) await tab.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
    expect(await stack.users(PRESENCE)).toEqual(['alice'])
    expect(await stack.connections()).toBe(1)
  })

  it('keeps a connection per tab where the page lacks Web Locks and BroadcastChannel', async () => {
    const context = await signedInContext('alice')
    await context.addInitScript(() => {
      delete (Navigator.prototype as { locks?: unknown }).locks
      delete (window as { BroadcastChannel?: unknown }).BroadcastChannel
    })
    const tabs = [
      await openTab(stack, context, { tabs: 'shared', user: 'alice' }),
      await openTab(stack, context, { tabs: 'shared', user: 'alice' }),
    ]
    for (const tab of tabs) {
      await tab.call('subscribe', PRESENCE)
      await tab.viewWhen(PRESENCE, { status: 'subscribed', ids: ['alice'] })
      expect(await tab.call('role')).toBe('own')
      expect(await tab.call('pusherError')).toBeNull()
    }
    expect(await stack.connections()).toBe(2)
  })
})
