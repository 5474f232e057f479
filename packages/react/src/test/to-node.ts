import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FetchHandler } from '@presence/server'

/**
 * Serves a Fetch handler of `@presence/server` on Node's `http`.
 * TEMPORARY: replaced by `toNodeHandler` from `@presence/server/node` once it lands.
 *
 * @param handler - `handlers.auth` or `handlers.batch`.
 * @returns a request listener.
 */
export function toNode(handler: FetchHandler) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value)
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const response = await handler(
      new Request(`http://127.0.0.1${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(hasBody ? { body } : {}),
      }),
    )
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}
