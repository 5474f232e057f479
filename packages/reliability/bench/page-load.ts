/**
 * Page load: 40 private channels subscribed by a page in Chromium, with a
 * 5 ms session lookup on the server, through @presence/client batching vs
 * pusher-js's default authorizer (one request per channel). Chromium speaks
 * HTTP/1.1 to the page's origin with at most 6 connections, as in production
 * without HTTP/2. Measures wall time (connected → all subscribed), HTTP
 * requests and session lookups.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import { launchChromium, sleep, startSoketi } from '@presence/testing'
import { build } from 'esbuild'
import { fmt, median, type Section } from './report.js'

async function bundle(entry: string) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    conditions: ['source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

export async function benchPageLoad(rounds = 7, count = 40, sessionMs = 5): Promise<Section> {
  const soketi = await startSoketi()
  const scripts = {
    baseline: await bundle('./page/baseline.ts'),
    batched: await bundle('./page/batched.ts'),
  }
  // authFirst/authLast: when the first auth request arrived and the last answer was sent
  const counters = { requests: 0, sessions: 0, authFirst: 0, authLast: 0 }
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: async (r) => {
      counters.sessions++
      await sleep(sessionMs)
      return r.headers.get('cookie')?.includes('sid=ada') ? { userId: 'ada' } : null
    },
    channels: { 'private-widget@{id}': () => true },
  })
  const auth = toNodeHandler(presence.handlers.auth)
  const batch = toNodeHandler(presence.handlers.batch)
  const config = { key: soketi.key, count, pusher: soketi.pusherJsOptions }
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/auth' || path === '/batch') {
      counters.requests++
      if (counters.requests === 1) counters.authFirst = performance.now()
      res.on('finish', () => {
        counters.authLast = performance.now()
      })
      void (path === '/auth' ? auth : batch)(req, res)
      return
    }
    const variant = path === '/batched' ? 'batched' : 'baseline'
    res.setHeader('content-type', 'text/html')
    res.setHeader('set-cookie', 'sid=ada; Path=/')
    res.end(
      `<!doctype html><meta charset="utf-8"><script>window.__CONFIG=${JSON.stringify(config)}</script><script>${scripts[variant]}</script>`,
    )
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const browser = await launchChromium()
  const samples: Record<
    'baseline' | 'batched',
    { ms: number[]; requests: number[]; sessions: number[]; authMs: number[] }
  > = {
    baseline: { ms: [], requests: [], sessions: [], authMs: [] },
    batched: { ms: [], requests: [], sessions: [], authMs: [] },
  }
  try {
    for (let r = 0; r <= rounds; r++) {
      for (const variant of r % 2
        ? (['batched', 'baseline'] as const)
        : (['baseline', 'batched'] as const)) {
        const context = await browser.newContext()
        const page = await context.newPage()
        await page.goto(`${origin}/${variant}`)
        // the page load itself (document) is not an auth request
        counters.requests = 0
        counters.sessions = 0
        counters.authFirst = 0
        counters.authLast = 0
        const result = (await page
          .waitForFunction(() => (window as unknown as { __RESULT?: unknown }).__RESULT, null, {
            timeout: 30_000,
          })
          .then((h) => h.jsonValue())) as { ms: number; error?: string }
        if (result.error) throw new Error(`${variant}: ${result.error}`)
        await context.close()
        if (r === 0) continue // warm-up round
        samples[variant].ms.push(result.ms)
        samples[variant].requests.push(counters.requests)
        samples[variant].sessions.push(counters.sessions)
        samples[variant].authMs.push(counters.authLast - counters.authFirst)
      }
    }
  } finally {
    await browser.close()
    await new Promise((resolve) => http.close(resolve))
    await soketi.stop()
  }
  const m = (v: 'baseline' | 'batched', k: 'ms' | 'requests' | 'sessions' | 'authMs') =>
    median(samples[v][k])
  const speedup = m('baseline', 'ms') / m('batched', 'ms')
  const fewer = m('baseline', 'sessions') / m('batched', 'sessions')
  return {
    title: `Page load: ${count} private channels, ${sessionMs} ms session lookup`,
    command: 'pnpm bench --only page-load',
    method: `The auth phase is measured at the server, from the first auth request's arrival to the last answer sent. A page in Chromium (HTTP/1.1 to its origin, ≤ 6 connections) connects to soketi, then subscribes to ${count} private channels; time from \`connected\` to the last \`subscription_succeeded\`. Same @presence/server behind both, its session adapter waits ${sessionMs} ms. ${rounds} alternated rounds after a warm-up, fresh browser context each; medians.`,
    table: [
      [
        'client',
        'wall time (ms)',
        'auth phase at the server (ms)',
        'auth HTTP requests',
        'session lookups',
      ],
      [
        'pusher-js default (one request per channel)',
        fmt(m('baseline', 'ms'), 1),
        fmt(m('baseline', 'authMs'), 1),
        fmt(m('baseline', 'requests')),
        fmt(m('baseline', 'sessions')),
      ],
      [
        '`@presence/client` (batched)',
        fmt(m('batched', 'ms'), 1),
        fmt(m('batched', 'authMs'), 1),
        fmt(m('batched', 'requests')),
        fmt(m('batched', 'sessions')),
      ],
    ],
    goals: [
      {
        name: `${count}-channel page load`,
        target: '≥ 10× faster',
        measured: `${speedup.toFixed(1)}× faster`,
        ...(speedup < 10
          ? {
              note: `the authorization phase (first request in → last answer out, at the server) is ${(m('baseline', 'authMs') / m('batched', 'authMs')).toFixed(1)}× shorter; the rest of the wall time, ~${fmt(m('batched', 'ms') - m('batched', 'authMs'))} ms, is paid by both clients: the 10 ms batch window, the HTTP round trip and soketi's ${count} subscribe round trips over the one websocket, which no authorizer can remove`,
            }
          : {}),
        met: speedup >= 10,
      },
      {
        name: 'session lookups',
        target: `${count}× fewer`,
        measured: `${fewer.toFixed(0)}× fewer`,
        met: fewer >= count,
      },
    ],
  }
}
