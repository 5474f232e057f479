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
export class NodeHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()]
    if (value === undefined) return null
    return Array.isArray(value) ? value.join(', ') : value
  }
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
  { pending: Set<BodyRead>; timer: ReturnType<typeof setInterval> }
>()

function watch(read: BodyRead): void {
  const { timeoutMs } = read
  let dog = watchdogs.get(timeoutMs)
  if (!dog) {
    const pending = new Set<BodyRead>()
    const timer = setInterval(
      () => {
        const now = performance.now()
        for (const item of pending) if (item.deadline <= now) item.stop(requestTimeout(timeoutMs))
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
  dog.pending.add(read)
}

function unwatch(read: BodyRead): void {
  watchdogs.get(read.timeoutMs)?.pending.delete(read)
}

/** Where a request being read keeps its {@link BodyRead} (the listeners get the request as `this`). */
const BODY_READ = Symbol('presence.bodyRead')
type ReadingRequest = IncomingMessage & { [BODY_READ]?: BodyRead | undefined }

/**
 * A body being read: its chunks, its limits, and how it settles. The request's listeners are
 * module functions reaching it through the request, so a read allocates no closures.
 */
class BodyRead {
  first: Buffer | undefined = undefined
  rest: Buffer[] | undefined = undefined
  size = 0
  failed = false
  readonly deadline: number
  constructor(
    readonly request: ReadingRequest,
    readonly limits: { readonly maxBytes: number; readonly timeoutMs: number },
    readonly settle: { resolve(text: string): void; reject(error: PresenceError): void },
  ) {
    this.deadline = performance.now() + limits.timeoutMs
  }
  get timeoutMs(): number {
    return this.limits.timeoutMs
  }
  stop(error: PresenceError): void {
    if (this.failed) return
    this.failed = true
    this.detach()
    this.request.pause()
    this.settle.reject(error)
  }
  detach(): void {
    unwatch(this)
    this.request.off('data', onBodyData)
    this.request.off('end', onBodyEnd)
    this.request.off('error', onBodyError)
    this.request[BODY_READ] = undefined
  }
}

function onBodyData(this: ReadingRequest, chunk: Buffer): void {
  const read = this[BODY_READ]
  if (!read) return
  read.size += chunk.length
  if (read.size > read.limits.maxBytes) {
    read.stop(payloadTooLarge(read.limits.maxBytes))
    return
  }
  if (read.first === undefined) read.first = chunk
  else {
    read.rest ??= [read.first]
    read.rest.push(chunk)
  }
}

function onBodyEnd(this: ReadingRequest): void {
  const read = this[BODY_READ]
  if (!read || read.failed) return
  read.detach()
  if (read.rest) read.settle.resolve(Buffer.concat(read.rest).toString('utf8'))
  else read.settle.resolve(read.first === undefined ? '' : read.first.toString('utf8'))
}

function onBodyError(this: ReadingRequest, error: Error): void {
  const read = this[BODY_READ]
  if (!read) return
  read.stop(
    new PresenceError('BAD_REQUEST', 'the request body could not be read', { cause: error }),
  )
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
    const reading = request as ReadingRequest
    const read = new BodyRead(reading, { maxBytes, timeoutMs }, { resolve, reject })
    reading[BODY_READ] = read
    watch(read)
    reading.on('data', onBodyData)
    reading.on('end', onBodyEnd)
    reading.on('error', onBodyError)
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
 * A {@link CoreRequest} over a Node request, no Fetch objects and no closures per request.
 * `raw` is the Node (or Express) request, for session adapters such as `expressUser`.
 * @internal
 */
export class NodeRequest implements CoreRequest {
  readonly method: string
  readonly headers: NodeHeaders
  readonly parsedBody?: Record<string, unknown>
  constructor(
    readonly raw: IncomingMessage,
    /** A reader of a body a framework already read (Express `express.text()`), if any. */
    private readonly reader?: CoreRequest['readBody'],
    parsedBody?: Record<string, unknown>,
  ) {
    this.method = raw.method ?? 'GET'
    this.headers = new NodeHeaders(raw.headers)
    if (parsedBody !== undefined) this.parsedBody = parsedBody
  }
  /**
   * Built on first read: most requests never need the absolute URL. The path and query come
   * from the request's own target, never from the Host header ({@link nodeRequestUrl}).
   */
  get url(): string {
    return nodeRequestUrl(this.raw)
  }
  readBody(maxBytes: number, timeoutMs?: number): Promise<string> {
    return this.reader
      ? this.reader(maxBytes, timeoutMs)
      : readNodeBody(this.raw, maxBytes, timeoutMs)
  }
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
  const core = new NodeRequest(request)
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
