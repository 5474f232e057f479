import type { SoketiServer } from '@presence/testing'

/** What the benchmark page is told by its server. */
export interface PageConfig {
  key: string
  count: number
  pusher: SoketiServer['pusherJsOptions']
}

/** The channels a page subscribes to: private, one per feature object, as on a busy page. */
export const CHANNELS = (count: number) =>
  Array.from({ length: count }, (_, i) => `private-widget@${i}`)

/** The same channels without authorization: the floor no authorizer can go below. */
export const PUBLIC_CHANNELS = (count: number) =>
  Array.from({ length: count }, (_, i) => `widget@${i}`)

/**
 * Where the time of one page load went, in ms from `connected` (`start`):
 * the synchronous `subscribe()` loop, the auth HTTP requests (from the
 * browser's resource timing), the `pusher:subscribe` frames pusher-js sent,
 * and the `subscription_succeeded` events that came back.
 */
export interface PageTrace {
  /** The last `pusher:subscription_succeeded`: the page's wall time; NaN if none came. */
  ms: number
  error?: string
  /** The `subscribe()` loop returned (pusher-js's and the client's synchronous work). */
  loopDone: number
  /** First auth request started / last auth response fully received; NaN without auth. */
  fetchStart: number
  fetchEnd: number
  /** Of the first auth request: queueing and connection (start → request sent), waiting for the first byte, reading the body. */
  fetchQueue: number
  fetchWait: number
  fetchRead: number
  requests: number
  /** First / last `pusher:subscribe` frame handed to the websocket. */
  sendFirst: number
  sendLast: number
}

/** The console message that carries a page's trace to the harness: this prefix, then the JSON. */
export const RESULT_PREFIX = '__RESULT '

interface Traceable {
  send_event(name: string, data: unknown, channel?: string): boolean
  disconnect(): void
}

/**
 * Starts tracing a page load at `connected`: records when pusher-js sends
 * each `pusher:subscribe` and when each subscription succeeds, and publishes
 * the trace for the harness once `count` channels succeeded.
 */
export function startTrace(pusher: Traceable, count: number) {
  const start = performance.now()
  const sends: number[] = []
  const oks: number[] = []
  const send = pusher.send_event.bind(pusher)
  pusher.send_event = (name, data, channel) => {
    if (name === 'pusher:subscribe') sends.push(performance.now() - start)
    return send(name, data, channel)
  }
  const finish = (error?: string) => {
    const auth = performance
      .getEntriesByType('resource')
      .filter((e) => /\/(auth|batch)$/.test(new URL(e.name).pathname))
      .map((e) => e as PerformanceResourceTiming)
      .filter((e) => e.startTime >= start)
    const trace: PageTrace = {
      ms: oks.length ? oks[oks.length - 1]! : Number.NaN,
      ...(error ? { error } : {}),
      loopDone: loopDone,
      fetchStart: auth.length ? Math.min(...auth.map((e) => e.startTime)) - start : Number.NaN,
      fetchEnd: auth.length ? Math.max(...auth.map((e) => e.responseEnd)) - start : Number.NaN,
      fetchQueue: auth[0] ? auth[0].requestStart - auth[0].startTime : Number.NaN,
      fetchWait: auth[0] ? auth[0].responseStart - auth[0].requestStart : Number.NaN,
      fetchRead: auth[0] ? auth[0].responseEnd - auth[0].responseStart : Number.NaN,
      requests: auth.length,
      sendFirst: sends[0] ?? Number.NaN,
      sendLast: sends[sends.length - 1] ?? Number.NaN,
    }
    // A console message, not a global the harness polls for: polling injects Playwright's
    // script into the page, whose evaluation blocked the main thread for ~30 ms mid-measure.
    console.info(`${RESULT_PREFIX}${JSON.stringify(trace)}`)
    pusher.disconnect()
  }
  let loopDone = Number.NaN
  return {
    /** Call once the `subscribe()` loop returned. */
    loopDone() {
      loopDone = performance.now() - start
    },
    /** Call on every `pusher:subscription_succeeded`. */
    succeeded() {
      oks.push(performance.now() - start)
      if (oks.length === count) finish()
    },
    failed(e: unknown) {
      finish(JSON.stringify(e))
    },
  }
}
