import type { HttpAnswer } from '../handlers/answer.js'
import type { CoreRequest } from '../handlers/request.js'
import { payloadTooLarge } from '../handlers/request.js'

/** A Fetch API handler: Next.js route handlers, Hono, Bun, Deno use it as is. */
export type FetchHandler = (request: Request) => Promise<Response>

/** The key under which a handler exposes its core to the Node and Express adapters. @internal */
export const CORE_HANDLER = Symbol.for('@presence/server.core')

/** Answers a {@link CoreRequest} with plain values (no Fetch objects). @internal */
export type CoreHandler = (request: CoreRequest) => Promise<HttpAnswer>

/**
 * A handler of a presence server: a {@link FetchHandler}. `@presence/server/node` and
 * `@presence/server/express` answer it without building Fetch objects (they find its
 * plain-value core under a registered symbol, not part of the public API).
 */
export type PresenceHandler = FetchHandler

/**
 * A Fetch handler over a core: the Fetch `Request` is wrapped, the plain
 * answer becomes a `Response`.
 * @param core - the core handler.
 * @param fallbackHeaders - headers of an answer that brings none.
 * @returns the Fetch handler, with its core attached for the Node and Express adapters.
 * @internal
 */
export function toFetchHandler(
  core: CoreHandler,
  fallbackHeaders: Readonly<Record<string, string>>,
): PresenceHandler {
  const handler = async (request: Request) => {
    const answer = await core(fromFetchRequest(request))
    return new Response(answer.status === 204 ? null : answer.body, {
      status: answer.status,
      headers: answer.headers ?? fallbackHeaders,
    })
  }
  return Object.assign(handler, { [CORE_HANDLER]: core })
}

/**
 * Reads a Fetch body with a size limit, stopping as soon as it is exceeded.
 * @param request - a Fetch `Request`.
 * @param maxBytes - the limit.
 * @returns the body text.
 * @internal
 */
export async function readFetchBody(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes)
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw payloadTooLarge(maxBytes)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0])
  const all = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    all.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(all)
}

/**
 * Wraps a Fetch `Request` as a {@link CoreRequest} (session adapters still
 * see the original `Request` surface: headers, url, method).
 * @param request - the Fetch request.
 * @returns the core request.
 * @internal
 */
export function fromFetchRequest(request: Request): CoreRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    raw: request,
    readBody: (maxBytes) => readFetchBody(request, maxBytes),
  }
}
