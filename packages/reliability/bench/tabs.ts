/**
 * One connection per browser: in Chromium, one browser context holds 1, 5 and 20 tabs of a
 * page that joins 10 channels (2 presence, 8 private), with `tabs: 'own'` (a connection per
 * tab) and `tabs: 'shared'` (`@presence/client/tabs`). Counted by soketi and the app server:
 * websocket connections, auth requests, channels authorized and session lookups; timed in the
 * page: how long a new tab takes from subscribing to every channel `subscribed`. Handoff: in
 * 5 shared tabs, the time from closing the leading tab to every remaining tab `subscribed`
 * again on all its channels, over rounds.
 */
import { launchChromium } from '@presence/testing'
import type { BrowserContext } from 'playwright-core'
import {
  openTab,
  startTabsStack,
  type Tab,
  type TabsStack,
  until,
} from '../../client/test/tabs-harness.js'
import { fmt, type Section } from './report.js'
import { quantile } from './stats.js'

const CHANNELS = [
  'presence-room',
  'presence-team',
  ...Array.from({ length: 8 }, (_, i) => `private-feed-${i}`),
]
const TAB_COUNTS = [1, 5, 20]
const HANDOFF_ROUNDS = 10

interface Row {
  mode: 'own' | 'shared'
  tabs: number
  connections: number
  requests: number
  channels: number
  lookups: number
  newTabMs: number
}

async function allSubscribed(tab: Tab) {
  for (const name of CHANNELS) await tab.viewWhen(name, { status: 'subscribed' }, 30_000)
}

/** Opens `count` tabs (each joining the 10 channels), then one more, timed. */
async function measure(
  stack: TabsStack,
  context: BrowserContext,
  mode: Row['mode'],
  count: number,
): Promise<Row> {
  const tabs: Tab[] = []
  for (let i = 0; i < count; i++) {
    const tab = await openTab(stack, context, { tabs: mode, user: 'alice' })
    await tab.call('subscribe', ...CHANNELS)
    tabs.push(tab)
  }
  for (const tab of tabs) await allSubscribed(tab)
  const row: Row = {
    mode,
    tabs: count,
    connections: await stack.connections(),
    requests: stack.requests.length,
    channels: stack.requests.reduce((sum, r) => sum + r.channels.length, 0),
    lookups: stack.sessionLookups(),
    newTabMs: 0,
  }
  const extra = await openTab(stack, context, { tabs: mode, user: 'alice' })
  row.newTabMs = await extra.call('timeToSubscribed', ...CHANNELS)
  return row
}

/** Closes the leader of 5 shared tabs `rounds` times; each round opens a tab to stay at 5. */
async function handoffs(stack: TabsStack, context: BrowserContext): Promise<number[]> {
  const tabs: Tab[] = []
  const open = async () => {
    const tab = await openTab(stack, context, { tabs: 'shared', user: 'alice' })
    await tab.call('subscribe', ...CHANNELS)
    tabs.push(tab)
  }
  for (let i = 0; i < 5; i++) await open()
  for (const tab of tabs) await allSubscribed(tab)
  const times: number[] = []
  for (let round = 0; round < HANDOFF_ROUNDS; round++) {
    const roles = await Promise.all(tabs.map((tab) => tab.call('role')))
    const leader = tabs.splice(roles.indexOf('leader'), 1)[0]!
    const started = Date.now()
    await leader.page.close()
    await until(
      'a new leader',
      async () => (await Promise.all(tabs.map((tab) => tab.call('role')))).includes('leader'),
      Boolean,
      10_000,
    )
    // Every remaining tab sees every channel subscribed on the new connection.
    for (const tab of tabs) {
      await tab.page.waitForFunction(
        (names) =>
          names.every(
            (name) =>
              (window as unknown as { tabs: { view(n: string): { status: string } } }).tabs.view(
                name,
              ).status === 'subscribed',
          ),
        CHANNELS,
        { timeout: 10_000, polling: 2 },
      )
    }
    times.push(Date.now() - started)
    await open()
    await allSubscribed(tabs[tabs.length - 1]!)
  }
  return times
}

export async function benchTabs(): Promise<Section> {
  const [stack, browser] = await Promise.all([startTabsStack(), launchChromium()])
  const rows: Row[] = []
  let handoffMs: number[] = []
  try {
    for (const count of TAB_COUNTS) {
      for (const mode of ['own', 'shared'] as const) {
        const context = await browser.newContext()
        await context.addCookies([{ name: 'user', value: 'alice', url: stack.origin }])
        stack.requests.length = 0
        const lookupsBefore = stack.sessionLookups()
        const row = await measure(stack, context, mode, count)
        row.lookups -= lookupsBefore
        rows.push(row)
        await context.close()
        await until(
          'connections closed',
          () => stack.connections(),
          (n) => n === 0,
          20_000,
        )
      }
    }
    const context = await browser.newContext()
    await context.addCookies([{ name: 'user', value: 'alice', url: stack.origin }])
    handoffMs = await handoffs(stack, context)
    await context.close()
  } finally {
    await browser.close()
    await stack.stop()
  }
  const of = (mode: Row['mode'], tabs: number) =>
    rows.find((r) => r.mode === mode && r.tabs === tabs)!
  const table = [
    [
      'tabs',
      'mode',
      'connections (soketi)',
      'auth requests',
      'channels authorized',
      'session lookups',
      'new tab to subscribed (ms)',
    ],
    ...rows.map((r) => [
      String(r.tabs),
      `\`${r.mode}\``,
      fmt(r.connections),
      fmt(r.requests),
      fmt(r.channels),
      fmt(r.lookups),
      fmt(r.newTabMs, 1),
    ]),
  ]
  const own20 = of('own', 20)
  const shared20 = of('shared', 20)
  const p50 = quantile(handoffMs, 0.5)
  const p95 = quantile(handoffMs, 0.95)
  return {
    title: 'One connection per browser (shared tabs)',
    command: 'pnpm bench --only tabs',
    method: `Debian's Chromium (headless), one browser context; each tab opens the page and subscribes ${CHANNELS.length} channels (2 presence, 8 private) through \`@presence/client\` (\`tabs: 'own'\`) or \`@presence/client/tabs\` (\`tabs: 'shared'\`), against soketi and \`presence.handler\` on the page's origin (session from a cookie). Counts are soketi's \`connected\` gauge and the app server's requests after every tab is subscribed; "new tab" is one more tab, timed in the page from subscribing to all ${CHANNELS.length} channels \`subscribed\`. Handoff: ${HANDOFF_ROUNDS} rounds in 5 shared tabs of closing the leading tab and waiting until every remaining tab has all ${CHANNELS.length} channels \`subscribed\` again (timed from the test, page close included).`,
    table,
    extra: [
      `Handoff, ${handoffMs.length} rounds: median ${fmt(p50)} ms, p95 ${fmt(p95)} ms (each: ${handoffMs.join(', ')} ms).`,
    ],
    goals: [
      {
        name: 'shared tabs cost one connection',
        target: `20 tabs: 1 connection (own: ${own20.connections})`,
        measured: `${shared20.connections}`,
        met: shared20.connections === 1,
      },
      {
        name: 'shared tabs authorize once',
        target: `20 tabs: the channels of one tab (own: ${own20.channels} channels in ${own20.requests} requests)`,
        measured: `${shared20.channels} channels in ${shared20.requests} requests`,
        met: shared20.channels === CHANNELS.length,
      },
      {
        name: 'handoff within 1.5 s',
        target: 'p95 < 1,500 ms',
        measured: `median ${fmt(p50)} ms, p95 ${fmt(p95)} ms`,
        met: p95 < 1500,
      },
    ],
  }
}
