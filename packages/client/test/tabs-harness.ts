import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createPresenceServer, createSigner, type Session } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import { getFreePort, type SoketiServer, soketiChannelUsers, startSoketi } from '@presence/testing'
import { build } from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import Pusher from 'pusher'
import type { TabChannelView, TabsPageApi } from './tabs-page.js'

/** One request the app server received. */
export interface AppRequest {
  path: string
  user: string | null
  channels: string[]
}

/** soketi, the app (page + auth endpoints on one origin) and soketi's own counts. */
export interface TabsStack {
  soketi: SoketiServer
  /** The app's origin: the page is `${origin}/tab`, the auth endpoint `${origin}/pusher`. */
  origin: string
  /** Every auth request, in order. */
  requests: AppRequest[]
  /** How many session lookups the auth endpoints made. */
  sessionLookups(): number
  /** soketi's count of open connections for the app (its Prometheus `connected` gauge). */
  connections(): Promise<number>
  /** soketi's member list of a presence channel. */
  users(channel: string): Promise<string[]>
  /** Triggers a server event on a channel (the `pusher` SDK through soketi's HTTP API). */
  trigger(channel: string, event: string, data: unknown): Promise<void>
  /** Whether soketi has a subscriber on the channel. */
  occupied(channel: string): Promise<boolean>
  stop(): Promise<void>
}

/**
 * Starts soketi and the app: the page (`/tab`, its script bundled from `tabs-page.ts` by
 * esbuild) and `@presence/server`'s `presence.handler` on `/pusher` (auth and batch), whose
 * session is the `user` cookie. Page and endpoints share one origin, as an app's would.
 *
 * @returns the stack; call `stop()`.
 */
export async function startTabsStack(): Promise<TabsStack> {
  const metricsPort = await getFreePort()
  const [soketi, bundled] = await Promise.all([
    startSoketi({
      env: { SOKETI_METRICS_ENABLED: 'true', SOKETI_METRICS_SERVER_PORT: String(metricsPort) },
    }),
    build({
      entryPoints: [fileURLToPath(new URL('./tabs-page.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      conditions: ['source'],
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'silent',
    }),
  ])
  const script = bundled.outputFiles[0]?.text ?? ''
  const requests: AppRequest[] = []
  let lookups = 0
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: (request): Session | null => {
      lookups++
      const user = /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1]
      return user ? { userId: decodeURIComponent(user) } : null
    },
    channels: {
      // A stream carries two retained events in its auth answer.
      'private-{name}': ({ params }) =>
        params.name.startsWith('stream@')
          ? {
              events: [
                { event: 'retained', data: 1 },
                { event: 'retained', data: 2 },
              ],
            }
          : true,
      'presence-{name}': ({ user }) => ({ user_id: user.userId, user_info: { name: user.userId } }),
    },
  })
  // Every auth request is recorded (path, session cookie, channels) before the handler answers.
  const handler = toNodeHandler(async (request: Request) => {
    const body = await request.clone().text()
    const form = body.startsWith('{') ? null : new URLSearchParams(body)
    // A sign-in (user-auth) names no channel; a batch lists its channels, a single auth one.
    const channels = form
      ? form.has('channel_name')
        ? [form.get('channel_name') ?? '']
        : []
      : (JSON.parse(body) as { channels: string[] }).channels
    const user = /(?:^|;\s*)user=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null
    requests.push({ path: new URL(request.url).pathname, user, channels })
    return presence.handler(request)
  })
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://app')
    if (url.pathname === '/tab') {
      res.setHeader('content-type', 'text/html')
      return res.end('<!doctype html><title>tab</title><script src="/tab.js"></script>')
    }
    if (url.pathname === '/tab.js') {
      res.setHeader('content-type', 'text/javascript')
      return res.end(script)
    }
    if (url.pathname.startsWith('/pusher/')) return void handler(req, res)
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const api = new Pusher(soketi.pusherOptions)
  return {
    soketi,
    origin,
    requests,
    sessionLookups: () => lookups,
    async connections() {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
      const line = text.split('\n').find((l) => l.startsWith('soketi_connected{'))
      return Number(line?.split(' ').pop() ?? 0)
    },
    users: (channel) => soketiChannelUsers(soketi, channel),
    async trigger(channel, event, data) {
      await api.trigger(channel, event, data)
    },
    async occupied(channel) {
      const res = await api.get({ path: `/channels/${channel}` })
      return ((await res.json()) as { occupied: boolean }).occupied
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await soketi.stop()
    },
  }
}

/** A page of the app driven by the test. */
export interface Tab {
  page: Page
  /** Runs a function of the page's `window.tabs` with JSON arguments. */
  call<K extends keyof TabsPageApi>(
    method: K,
    ...args: Parameters<TabsPageApi[K]>
  ): Promise<ReturnType<TabsPageApi[K]>>
  /** Waits until the page's view of a channel matches `wanted`. */
  viewWhen(
    name: string,
    wanted: Partial<TabChannelView>,
    timeoutMs?: number,
  ): Promise<TabChannelView>
}

/**
 * Opens the app's page in `context` and starts its client.
 *
 * @param stack - the running stack.
 * @param context - the browser context (its tabs share an origin, locks and channels).
 * @param options - `tabs` and the initial `user`.
 * @returns the tab.
 */
export async function openTab(
  stack: TabsStack,
  context: BrowserContext,
  options: { tabs: 'own' | 'shared'; user: string | null },
): Promise<Tab> {
  const page = await context.newPage()
  await page.goto(`${stack.origin}/tab`)
  const call = (async (method: string, ...args: unknown[]) =>
    page.evaluate(
      ({ method, args }) =>
        (
          (window as unknown as { tabs: Record<string, (...a: unknown[]) => unknown> }).tabs[
            method
          ] as (...a: unknown[]) => unknown
        )(...args),
      { method, args },
    )) as Tab['call']
  await call('start', {
    pusher: { key: stack.soketi.key, ...stack.soketi.pusherJsOptions },
    auth: { endpoint: '/pusher' },
    user: options.user === null ? null : { id: options.user },
    tabs: options.tabs,
  })
  const viewWhen: Tab['viewWhen'] = async (name, wanted, timeoutMs = 10_000) => {
    const handle = await page
      .waitForFunction(
        ({ name, wanted }) => {
          const view = (
            window as unknown as { tabs: { view(n: string): Record<string, unknown> } }
          ).tabs.view(name)
          const matches = Object.entries(wanted).every(
            ([field, value]) => JSON.stringify(view[field]) === JSON.stringify(value),
          )
          return matches ? view : null
        },
        { name, wanted },
        { timeout: timeoutMs, polling: 20 },
      )
      .catch(async (error: Error) => {
        const last = await call('view', name)
        throw new Error(
          `${name}: waited for ${JSON.stringify(wanted)}, last ${JSON.stringify(last)}`,
          {
            cause: error,
          },
        )
      })
    return (await handle.jsonValue()) as unknown as TabChannelView
  }
  return { page, call, viewWhen }
}

/**
 * Polls `read` until `done(value)` holds, and returns that value.
 *
 * @param what - named in the error on timeout.
 */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
    value = await read()
  }
  return value
}
