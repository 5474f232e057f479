/**
 * Page load against the floor: a page in Chromium subscribes to N channels
 * (10, 40, 200) and waits for every `subscription_succeeded`, in four
 * variants measured in alternated order in the same run:
 *
 * - `floor`: the same N channels as public channels with plain pusher-js —
 *   no authorization at all, what no authorizer can remove;
 * - `batched`: private channels through `@presence/client` (one batch request
 *   per 50 channels, sent at the end of the task that subscribed), the
 *   server's session lookup waits 5 ms;
 * - `batched-10`: the same with a 10 ms `batchWindowMs` (what a window costs);
 * - `baseline`: private channels through pusher-js's default authorizer (one
 *   request per channel), the same server.
 *
 * Chromium speaks HTTP/1.1 to the page's origin with at most 6 connections,
 * as in production without HTTP/2. Each page records a trace (see
 * `page/shared.ts`): where its time went between `connected` and the last
 * `subscription_succeeded`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import { launchChromium, sleep, startSoketi } from '@presence/testing'
import { build } from 'esbuild'
import { type PageTrace, RESULT_PREFIX } from './page/shared.js'
import { fmt, type Goal, type Section } from './report.js'
import { fmtSpread, spread } from './stats.js'

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

const VARIANTS = ['floor', 'batched', 'batched-10', 'baseline'] as const
type Variant = (typeof VARIANTS)[number]
const LABEL: Record<Variant, string> = {
  floor: 'floor: public channels, plain pusher-js',
  batched: '`@presence/client` (batched at the end of the task)',
  'batched-10': '`@presence/client` (batched, 10 ms window)',
  baseline: 'pusher-js default (one request per channel)',
}

/** One page load, as the page traced it plus the server's counters. */
interface Sample extends PageTrace {
  sessions: number
  /** First auth request in → last answer out, at the server (ms). */
  authMs: number
}

export interface PageLoadOptions {
  /** Measured rounds per channel count (after one warm-up round). @default 15 */
  rounds?: number
  /** @default [10, 40, 200] */
  counts?: number[]
  /** @default 5 */
  sessionMs?: number
}

export async function measurePageLoad({
  rounds = 15,
  counts = [10, 40, 200],
  sessionMs = 5,
}: PageLoadOptions = {}) {
  const soketi = await startSoketi()
  // batched-10 runs the same script as batched, told its 10 ms window by the page's config
  const batched = await bundle('./page/batched.ts')
  const scripts: Record<Variant, string> = {
    floor: await bundle('./page/floor.ts'),
    batched,
    'batched-10': batched,
    baseline: await bundle('./page/baseline.ts'),
  }
  // authFirst/authLast: when the first auth request arrived and the last answer was sent
  const counters = { sessions: 0, authFirst: 0, authLast: 0 }
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
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/auth' || url.pathname === '/batch') {
      if (counters.authFirst === 0) counters.authFirst = performance.now()
      res.on('finish', () => {
        counters.authLast = performance.now()
      })
      void (url.pathname === '/auth' ? auth : batch)(req, res)
      return
    }
    const variant = url.pathname.slice(1) as Variant
    const config = {
      key: soketi.key,
      count: Number(url.searchParams.get('count')),
      pusher: soketi.pusherJsOptions,
      ...(variant === 'batched-10' ? { batchWindowMs: 10 } : {}),
    }
    res.setHeader('content-type', 'text/html')
    res.setHeader('set-cookie', 'sid=ada; Path=/')
    res.end(
      `<!doctype html><meta charset="utf-8"><script>window.__CONFIG=${JSON.stringify(config)}</script><script>${scripts[variant]}</script>`,
    )
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  const browser = await launchChromium()
  const samples = new Map<string, Sample[]>()
  try {
    for (const count of counts) {
      for (let r = 0; r <= rounds; r++) {
        // rotate the order every round so drift hits every variant alike
        const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length]!)
        for (const variant of order) {
          const context = await browser.newContext()
          const page = await context.newPage()
          // reset before the page loads: on a busy machine its first auth request can arrive
          // before goto() returns (the document itself is not counted)
          counters.sessions = 0
          counters.authFirst = 0
          counters.authLast = 0
          const result = page.waitForEvent('console', {
            predicate: (message) => message.text().startsWith(RESULT_PREFIX),
            timeout: 60_000,
          })
          await page.goto(`${origin}/${variant}?count=${count}`)
          // JSON has no NaN (a figure the variant does not have): the page sends null for it
          const trace = JSON.parse((await result).text().slice(RESULT_PREFIX.length), (_, value) =>
            value === null ? Number.NaN : value,
          ) as PageTrace
          await context.close()
          if (trace.error) throw new Error(`${variant} × ${count}: ${trace.error}`)
          if (r === 0) continue // warm-up round
          const key = `${variant}:${count}`
          if (!samples.has(key)) samples.set(key, [])
          samples.get(key)!.push({
            ...trace,
            sessions: counters.sessions,
            authMs: counters.authFirst ? counters.authLast - counters.authFirst : Number.NaN,
          })
        }
      }
    }
  } finally {
    await browser.close()
    await new Promise((resolve) => http.close(resolve))
    await soketi.stop()
  }
  return { samples, rounds, counts, sessionMs }
}

/** The spread of one field of one variant at one channel count. */
function field(
  samples: Map<string, Sample[]>,
  variant: Variant,
  count: number,
  pick: (s: Sample) => number,
) {
  return spread((samples.get(`${variant}:${count}`) ?? []).map(pick))
}

/**
 * Per-round ratio of a variant's wall time to the floor's in the same round
 * (the rounds alternate, so round i of both ran back to back).
 */
function ratios(samples: Map<string, Sample[]>, variant: Variant, count: number) {
  const a = samples.get(`${variant}:${count}`) ?? []
  const f = samples.get(`floor:${count}`) ?? []
  return spread(a.map((s, i) => s.ms / f[i]!.ms))
}

export async function benchPageLoad(options: PageLoadOptions = {}): Promise<Section> {
  const { samples, rounds, counts, sessionMs } = await measurePageLoad(options)
  const goalCount = counts.includes(40) ? 40 : counts[0]!
  const median = (v: Variant, n: number, pick: (s: Sample) => number) =>
    field(samples, v, n, pick).median
  /** Where the batched page's time went above the floor's, at `n` channels (medians). */
  const whereTimeWent = (n: number) => {
    const b = (pick: (s: Sample) => number) => fmt(median('batched', n, pick), 1)
    const f = (pick: (s: Sample) => number) => fmt(median('floor', n, pick), 1)
    return (
      `the floor is ${f((s) => s.ms)} ms (its subscribe loop ${f((s) => s.loopDone)} ms, then ` +
      `${f((s) => s.ms - s.sendLast)} ms until soketi confirmed every subscription); the batched page ` +
      `spends ${b((s) => s.loopDone)} ms in its subscribe loop, ${b((s) => s.fetchStart - s.loopDone)} ms ` +
      `until the batch request starts, ${b((s) => s.fetchEnd - s.fetchStart)} ms in the HTTP ` +
      `exchange as Chromium sees it (the server's part ${b((s) => s.authMs)} ms, incl. the ` +
      `${sessionMs} ms session lookup), ${b((s) => s.sendFirst - s.fetchEnd)} ms from the answer to ` +
      `the first \`pusher:subscribe\` and ${b((s) => s.ms - s.sendLast)} ms until soketi confirmed ` +
      `every subscription; with a 10 ms window the page takes ` +
      `${ratios(samples, 'batched-10', n).median.toFixed(2)}× the floor`
    )
  }
  const pageGoal = (n: number, target: number): Goal => {
    const perRound = ratios(samples, 'batched', n)
    return {
      name: `${n}-channel page load vs the floor (no authorization)`,
      target: `≤ ${target.toFixed(1)}× the floor (median of per-round ratios)`,
      measured: `${perRound.median.toFixed(2)}× (per-round IQR ${perRound.q1.toFixed(2)}–${perRound.q3.toFixed(2)})`,
      met: perRound.median <= target,
      note: whereTimeWent(n),
    }
  }
  const sessionsFewer =
    median('baseline', goalCount, (s) => s.sessions) /
    median('batched', goalCount, (s) => s.sessions)
  const goals: Goal[] = [
    pageGoal(goalCount, 1.5),
    ...(counts.includes(10) && goalCount !== 10 ? [pageGoal(10, 2)] : []),
    {
      name: `session lookups (${goalCount} channels)`,
      target: `${goalCount}× fewer than pusher-js default`,
      measured: `${sessionsFewer.toFixed(0)}× fewer`,
      met: sessionsFewer >= goalCount,
    },
  ]
  for (const g of goals) if (g.met) delete g.note
  const traceRow = (v: Variant, n: number) => {
    const m = (pick: (s: Sample) => number) => {
      const value = field(samples, v, n, pick).median
      return Number.isNaN(value) ? '–' : fmt(value, 1)
    }
    return [
      `${n}`,
      LABEL[v],
      m((s) => s.loopDone),
      m((s) => s.fetchStart),
      m((s) => s.fetchEnd),
      m((s) => s.fetchQueue),
      m((s) => s.fetchWait),
      m((s) => s.authMs),
      m((s) => s.fetchRead),
      m((s) => s.sendFirst),
      m((s) => s.sendLast),
      m((s) => s.ms),
    ]
  }
  return {
    title: `Page load against the floor: ${counts.join(' / ')} channels, ${sessionMs} ms session lookup`,
    command: 'pnpm bench --only page-load',
    method: `A page in Chromium (HTTP/1.1 to its origin, ≤ 6 connections) connects to soketi, then subscribes to N channels; wall time from \`connected\` to the last \`subscription_succeeded\`. The floor subscribes to the same N channels as public channels with plain pusher-js: no authorization at all. The private variants share one @presence/server whose session adapter waits ${sessionMs} ms. ${rounds} rounds per channel count after a warm-up round, the variants' order rotated every round, a fresh browser context per page. Median and interquartile range (IQR); the ratio column is the median of per-round ratios to the floor of the same round.`,
    table: [
      [
        'channels',
        'client',
        'wall time, ms (median, IQR)',
        '× floor (per round)',
        'auth requests',
        'session lookups',
      ],
      ...counts.flatMap((n) =>
        VARIANTS.map((v) => [
          `${n}`,
          LABEL[v],
          fmtSpread(field(samples, v, n, (s) => s.ms)),
          v === 'floor' ? '1' : fmtSpread(ratios(samples, v, n), 2),
          fmt(field(samples, v, n, (s) => s.requests).median),
          fmt(field(samples, v, n, (s) => s.sessions).median),
        ]),
      ),
    ],
    extra: [
      '### Where the time goes (medians, ms after `connected`)',
      '',
      '`loop`: the `subscribe()` loop returned; `auth sent` / `auth answered`: the first auth request started and the last one fully arrived (browser resource timing); for the first auth request, `queued` (start → request sent, incl. any connection setup), `waited for 1st byte` (request sent → first response byte) `of which server` (first auth request in → last answer out, at the Node server) and `read body` (first → last response byte); `subscribe sent`: first and last `pusher:subscribe` frames handed to the websocket; `done`: last `subscription_succeeded`.',
      '',
      [
        [
          'channels',
          'client',
          'loop',
          'auth sent',
          'auth answered',
          'first request: queued',
          'waited for 1st byte',
          'of which server',
          'read body',
          'first subscribe sent',
          'last subscribe sent',
          'done',
        ],
        ...counts.flatMap((n) => VARIANTS.map((v) => traceRow(v, n))),
      ],
    ],
    goals,
  }
}
