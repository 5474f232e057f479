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

/** The bound's one request: answered after the session lookup, nothing signed. */
export const SESSION_PATH = '/session'

/** Where a page sends its trace (JSON, POST) once it is done: its own server answers with the next page to open. */
export const RESULT_PATH = '/result'

interface Traceable {
  send_event(name: string, data: unknown, channel?: string): boolean
  disconnect(): void
}

/**
 * Starts tracing a page load at `connected`: records when pusher-js sends
 * each `pusher:subscribe` and when each subscription succeeds, and sends the
 * trace to the page's server ({@link RESULT_PATH}) once `count` channels succeeded.
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
      .filter((e) => /\/(auth|batch|session)$/.test(new URL(e.name).pathname))
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
    // Sent to the page's server once the measure is over: nothing drives this browser (see
    // `plain-chromium.ts`), and nothing reads the page while it measures.
    pusher.disconnect()
    void fetch(RESULT_PATH, { method: 'POST', body: JSON.stringify(trace) })
      .then((response) => response.text())
      .then((next) => {
        if (next) location.replace(next)
      })
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
