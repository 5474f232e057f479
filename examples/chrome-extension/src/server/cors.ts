import type { NextFunction, Request, Response } from 'express'

/**
 * CORS for the example's own routes (`/api/sessions`, `/api/dev`), with the same rule the
 * presence server applies to `/api/pusher/auth`: an exact origin match, no wildcard, no
 * credentials. A foreign origin gets no `Access-Control-Allow-*` header at all, so the
 * browser refuses to hand it the answer (the original app's check 4).
 *
 * @param origins - allowed origins, e.g. `['chrome-extension://<id>']`
 * @returns an Express middleware that also answers preflights (204)
 */
export function exactOriginCors(origins: readonly string[]) {
  const allowed = new Set(origins)
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin')
    res.vary('Origin')
    if (origin && allowed.has(origin)) {
      res.set('Access-Control-Allow-Origin', origin)
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, OPTIONS')
        res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type')
        res.set('Access-Control-Max-Age', '600')
      }
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end()
      return
    }
    next()
  }
}
