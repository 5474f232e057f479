import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'

/**
 * Mounts a Fetch handler (`Request → Promise<Response>`) on Express: the request body is read
 * once as a buffer, headers are copied both ways. A stand-in for `@presence/server/express`'s
 * `toExpress` while that adapter is not available.
 */
export function fetchRoute(handler: (request: Request) => Promise<Response>) {
  return async (req: ExpressRequest, res: ExpressResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
    const response = await handler(
      new Request(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`, {
        method: req.method,
        headers,
        ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
      }),
    )
    res.status(response.status)
    response.headers.forEach((value, name) => {
      res.setHeader(name, value)
    })
    res.end(Buffer.from(await response.arrayBuffer()))
  }
}
