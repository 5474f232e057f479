/**
 * Page load against the floor: a page in Chromium subscribes to N channels
 * (10, 40, 200) and waits for every `subscription_succeeded`, in four
 * variants measured in alternated order in the same run:
 *
 * - `floor`: the same N channels as public channels with plain pusher-js —
 *   no authorization at all, what no authorizer can remove;
 * - `bound`: the floor's channels, subscribed after one request that waits for
 *   the session lookup — what any authorizer spends at least (it cannot answer
 *   before it knows the session);
 * - `batched`: private channels through `@presence/client` (one batch request
 *   per 50 channels, sent at the end of the task that subscribed), the
 *   server's session lookup waits 5 ms;
 * - `batched-10`: the same with a 10 ms `batchWindowMs` (what a window costs);
 * - `baseline`: private channels through pusher-js's default authorizer (one
 *   request per channel), the same server.
 *
 * Chromium speaks HTTP/1.1 to the page's origin with at most 6 connections,
 * as in production without HTTP/2. The pages run in one Chromium that nothing
 * drives (see `plain-chromium.ts`: DevTools' network instrumentation would
 * slow every HTTP request and websocket frame). Each page records a trace (see
 * `page/shared.ts`): where its time went between `connected` and the last
 * `subscription_succeeded`, sends it to the page's server and opens the page
 * the server names next.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createPresenceServer, createSigner } from '@presence/server'
import { toNodeHandler } from '@presence/server/node'
import { sleep, startSoketi } from '@presence/testing'
import { build } from 'esbuild'
import { type PageTrace, RESULT_PATH, SESSION_PATH } from './page/shared.js'
import { openPlainChromium } from './plain-chromium.js'
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

const VARIANTS = ['floor', 'bound', 'batched', 'batched-10', 'baseline'] as const
type Variant = (typeof VARIANTS)[number]
const LABEL: Record<Variant, string> = {
  floor: 'floor: public channels, plain pusher-js',
  bound: 'bound: the floor after one session lookup request',
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
    bound: await bundle('./page/bound.ts'),
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
  const visits = planVisits(counts, rounds)
  const tour = createTour(visits, (visit) => `/${visit.variant}?count=${visit.count}`)
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === RESULT_PATH) {
      const server = {
        sessions: counters.sessions,
        authMs: counters.authFirst ? counters.authLast - counters.authFirst : Number.NaN,
      }
      return void readTrace(req).then((trace) => tour.arrived({ ...trace, ...server }, res))
    }
    if (url.pathname === SESSION_PATH) {
      counters.sessions++
      counters.authFirst = performance.now()
      void sleep(sessionMs).then(() => {
        res.writeHead(204).end()
        counters.authLast = performance.now()
      })
      return
    }
    if (url.pathname === '/auth' || url.pathname === '/batch') {
      if (counters.authFirst === 0) counters.authFirst = performance.now()
      res.on('finish', () => {
        counters.authLast = performance.now()
      })
      void (url.pathname === '/auth' ? auth : batch)(req, res)
      return
    }
    const variant = url.pathname.slice(1) as Variant
    if (!VARIANTS.includes(variant)) return void res.writeHead(404).end()
    // a new page: its auth requests come after its document
    counters.sessions = 0
    counters.authFirst = 0
    counters.authLast = 0
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
  const browser = await openPlainChromium(`${origin}${tour.first}`)
  let samples: Sample[]
  try {
    samples = await tour.done
  } finally {
    await browser.close()
    await new Promise((resolve) => http.close(resolve))
    await soketi.stop()
  }
  const byKey = new Map<string, Sample[]>()
  visits.forEach((visit, i) => {
    const sample = samples[i]!
    if (visit.round === 0) return // warm-up round
    const key = `${visit.variant}:${visit.count}`
    if (!byKey.has(key)) byKey.set(key, [])
    byKey.get(key)!.push(sample)
  })
  return { samples: byKey, rounds, counts, sessionMs }
}

/** One page load of the run. */
interface Visit {
  variant: Variant
  count: number
  /** 0 is the warm-up round. */
  round: number
}

/** Every page of the run, in order: per channel count, the rounds, the variants rotated every round. */
function planVisits(counts: number[], rounds: number): Visit[] {
  return counts.flatMap((count) =>
    Array.from({ length: rounds + 1 }, (_, round) =>
      // rotate the order every round so drift hits every variant alike
      VARIANTS.map((_, i) => ({ variant: VARIANTS[(i + round) % VARIANTS.length]!, count, round })),
    ).flat(),
  )
}

/**
 * The browser's tour of the run: each page sends its trace to
 * {@link RESULT_PATH} and is answered with the path of the next page, which it
 * opens (an empty answer ends the tour). One browser for the run, so no page
 * shares the machine with a browser starting up. `done` has one sample per
 * visit, in order; it fails at the first page that reports an error, or when a
 * page sends nothing for 60 s.
 */
function createTour(visits: Visit[], pathOf: (visit: Visit) => string) {
  const samples: Sample[] = []
  let finish!: (samples: Sample[]) => void
  let fail!: (error: Error) => void
  const done = new Promise<Sample[]>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const waitForNext = () => {
    clearTimeout(timer)
    const visit = visits[samples.length]!
    timer = setTimeout(
      () => fail(new Error(`${visit.variant} × ${visit.count}: no trace within 60 s`)),
      60_000,
    )
  }
  waitForNext()
  return {
    first: pathOf(visits[0]!),
    done,
    arrived(sample: Sample, res: ServerResponse) {
      const visit = visits[samples.length]!
      samples.push(sample)
      const next = sample.error ? undefined : visits[samples.length]
      res.writeHead(200, { 'content-type': 'text/plain' }).end(next ? pathOf(next) : '')
      if (next) return waitForNext()
      clearTimeout(timer)
      if (sample.error) fail(new Error(`${visit.variant} × ${visit.count}: ${sample.error}`))
      else finish(samples)
    },
  }
}

/** Reads a page's trace (JSON has no NaN, a figure the variant does not have: the page sends null). */
async function readTrace(req: IncomingMessage): Promise<PageTrace> {
  let body = ''
  req.setEncoding('utf8')
  for await (const chunk of req) body += chunk
  return JSON.parse(body, (_, value) => (value === null ? Number.NaN : value)) as PageTrace
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
 * Per-round ratio of a variant's wall time to the floor's (or `reference`'s) in the same round
 * (the rounds alternate, so round i of both ran back to back).
 */
function ratios(
  samples: Map<string, Sample[]>,
  variant: Variant,
  count: number,
  reference: Variant = 'floor',
) {
  const a = samples.get(`${variant}:${count}`) ?? []
  const f = samples.get(`${reference}:${count}`) ?? []
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
      `${ratios(samples, 'batched-10', n).median.toFixed(2)}× the floor. The bound (the floor's ` +
      `channels after one request that waits for the ${sessionMs} ms session lookup, what any ` +
      `authorizer needs) takes ${ratios(samples, 'bound', n).median.toFixed(2)}× the floor; the ` +
      `batched page ${ratios(samples, 'batched', n, 'bound').median.toFixed(2)}× the bound`
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
    method: `A page in Chromium (HTTP/1.1 to its origin, ≤ 6 connections) connects to soketi, then subscribes to N channels; wall time from \`connected\` to the last \`subscription_succeeded\`. The floor subscribes to the same N channels as public channels with plain pusher-js: no authorization at all. The bound subscribes to the floor's channels after one request that waits for the ${sessionMs} ms session lookup: no authorizer can be faster, since it needs the session's answer before it can sign. The private variants share one @presence/server whose session adapter waits ${sessionMs} ms. ${rounds} rounds per channel count after a warm-up round, the variants' order rotated every round, one Chromium that nothing drives (no DevTools protocol attached: DevTools' network instrumentation slows HTTP requests and websocket frames), each page opening the next when it has reported. Median and interquartile range (IQR); the ratio column is the median of per-round ratios to the floor of the same round.`,
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
