import type { IncomingMessage, ServerResponse } from 'node:http'
import { PresenceError } from '../errors.js'
import type { HttpAnswer } from '../handlers/answer.js'
import {
  type CoreRequest,
  DEFAULT_BODY_TIMEOUT_MS,
  payloadTooLarge,
  requestTimeout,
} from '../handlers/request.js'
import { CORE_HANDLER, type CoreHandler, type FetchHandler } from './fetch.js'

/** Node's header object as a Fetch-like `headers.get`. @internal */
export function nodeHeaders(headers: IncomingMessage['headers']): {
  get(name: string): string | null
} {
  return {
    get(name) {
      const value = headers[name.toLowerCase()]
      if (value === undefined) return null
      return Array.isArray(value) ? value.join(', ') : value
    },
  }
}

/** A body being read, and when it must have arrived. */
interface PendingBody {
  readonly deadline: number
  expire(): void
}

/**
 * One watchdog per body time limit instead of one timer per request (a
 * `setTimeout` + `clearTimeout` per request cost the Node adapter ~20 % of its
 * CPU per request). It ticks every tenth of the limit while bodies are
 * pending, so a stalled body is answered between 1.0 and 1.1 times the limit
 * after its read began.
 */
const watchdogs = new Map<
  number,
  { pending: Set<PendingBody>; timer: ReturnType<typeof setInterval> }
>()

function watch(timeoutMs: number, body: PendingBody): () => void {
  let dog = watchdogs.get(timeoutMs)
  if (!dog) {
    const pending = new Set<PendingBody>()
    const timer = setInterval(
      () => {
        const now = performance.now()
        for (const item of pending) if (item.deadline <= now) item.expire()
        if (pending.size === 0) {
          clearInterval(timer)
          watchdogs.delete(timeoutMs)
        }
      },
      Math.max(1, Math.ceil(timeoutMs / 10)),
    )
    timer.unref?.()
    dog = { pending, timer }
    watchdogs.set(timeoutMs, dog)
  }
  const { pending } = dog
  pending.add(body)
  return () => pending.delete(body)
}

/**
 * Reads a Node request body once, with a size limit and a deadline; stops
 * reading past either (the connection is then closed by the answer's
 * `Connection: close`).
 * @internal
 */
export function readNodeBody(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs: number = DEFAULT_BODY_TIMEOUT_MS,
): Promise<string> {
  const declared = request.headers['content-length']
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(payloadTooLarge(maxBytes))
  }
  if (request.readableEnded) return Promise.resolve('')
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined
    let rest: Buffer[] | undefined
    let size = 0
    let failed = false
    const stop = (error: PresenceError) => {
      failed = true
      unwatch()
      request.off('data', onData)
      request.pause()
      reject(error)
    }
    const unwatch = watch(timeoutMs, {
      deadline: performance.now() + timeoutMs,
      expire: () => {
        if (!failed) stop(requestTimeout(timeoutMs))
      },
    })
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        stop(payloadTooLarge(maxBytes))
        return
      }
      if (first === undefined) first = chunk
      else {
        rest ??= [first]
        rest.push(chunk)
      }
    }
    request.on('data', onData)
    request.on('end', () => {
      unwatch()
      if (failed) return
      if (rest) resolve(Buffer.concat(rest).toString('utf8'))
      else resolve(first === undefined ? '' : first.toString('utf8'))
    })
    request.on('error', (error: Error) => {
      if (failed) return
      stop(new PresenceError('BAD_REQUEST', 'the request body could not be read', { cause: error }))
    })
  })
}

/** A Host header that is only a host and an optional port (`uri-host [ ":" port ]`). */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::\d{1,5})?$/

/**
 * The absolute URL of a Node request, from the request's own target (its path and query) and
 * a Host that cannot carry one: routing and query parsing read this URL, so a Host header such
 * as `app.test/user-auth?` must not move the path (it is replaced by `localhost`). An
 * absolute-form target (`POST http://host/path`) keeps only its path and query.
 * @internal
 */
export function nodeRequestUrl(request: IncomingMessage): string {
  const host = request.headers.host
  const scheme = (request.socket as { encrypted?: boolean } | undefined)?.encrypted
    ? 'https'
    : 'http'
  let target = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/'
  if (!target.startsWith('/')) {
    try {
      const parsed = new URL(target)
      target = parsed.pathname + parsed.search
    } catch {
      target = '/'
    }
  }
  return `${scheme}://${host !== undefined && HOST_HEADER.test(host) ? host : 'localhost'}${target}`
}

/**
 * A {@link CoreRequest} over a Node request, no Fetch objects. `raw` is the
 * Node (or Express) request, for session adapters such as `expressUser`.
 * @internal
 */
export function coreRequestFromNode(
  request: IncomingMessage,
  readBody: CoreRequest['readBody'],
  parsedBody?: Record<string, unknown>,
): CoreRequest {
  const core: CoreRequest = {
    method: request.method ?? 'GET',
    // Built on first read: most requests never need the absolute URL.
    get url() {
      return nodeRequestUrl(request)
    },
    headers: nodeHeaders(request.headers),
    raw: request,
    readBody,
  }
  if (parsedBody !== undefined)
    (core as { parsedBody?: Record<string, unknown> }).parsedBody = parsedBody
  return core
}

/** Writes an answer to a Node response. @internal */
export function sendAnswer(response: ServerResponse, answer: HttpAnswer): void {
  const headers: Record<string, string | number> = { ...answer.headers }
  if (answer.status === 413 || answer.status === 408) headers.Connection = 'close'
  if (answer.status === 204) {
    response.writeHead(204, headers).end()
    return
  }
  headers['Content-Length'] = Buffer.byteLength(answer.body)
  response.writeHead(answer.status, headers).end(answer.body)
}

/** Writes a Fetch `Response` to a Node response (for handlers without a core). @internal */
export async function sendFetchResponse(response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string> = {}
  answer.headers.forEach((value, name) => {
    headers[name] = value
  })
  const body = Buffer.from(await answer.arrayBuffer())
  response.writeHead(answer.status, headers).end(body)
}

/** The core of a handler made by `createPresenceServer`, if any. @internal */
export function coreOf(handler: FetchHandler): CoreHandler | undefined {
  return (handler as { [CORE_HANDLER]?: CoreHandler })[CORE_HANDLER]
}

/** A Fetch `Request` for a Node request and a body already read. @internal */
export function fetchRequestFromNode(request: IncomingMessage, body: string): Request {
  const core = coreRequestFromNode(request, async () => body)
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const method = core.method.toUpperCase()
  return new Request(core.url, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  })
}

/** The 500 answer for a failure outside the handlers. @internal */
export const INTERNAL_ANSWER: HttpAnswer = {
  status: 500,
  body: '{"error":{"code":"INTERNAL"}}',
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
}
