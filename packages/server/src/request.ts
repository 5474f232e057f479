import { PresenceError } from './errors.js'
import type { PresenceRequest } from './session/types.js'

/**
 * The request the core decides on: the Fetch `Request` surface a session
 * adapter reads, plus a body reader with a size limit. The Node and Express
 * adapters build this directly, so no Fetch object is made on their hot path.
 */
export interface CoreRequest extends PresenceRequest {
  /**
   * Reads the body as text, once.
   * @param maxBytes - the limit; larger bodies reject with `PAYLOAD_TOO_LARGE`.
   */
  readBody(maxBytes: number): Promise<string>
  /** A body already parsed by a framework (Express `req.body` object), if any. */
  readonly parsedBody?: Record<string, unknown>
}

/**
 * The error for a body over the limit.
 * @param maxBytes - the limit.
 * @returns `PAYLOAD_TOO_LARGE`.
 * @internal
 */
export function payloadTooLarge(maxBytes: number): PresenceError {
  return new PresenceError(
    'PAYLOAD_TOO_LARGE',
    `the body is larger than ${maxBytes} bytes (limits.maxBodyBytes)`,
  )
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
