import type { PresenceRequest } from '@presence/server/session'
import type { Request } from 'express'

/**
 * The Fetch-like request surface session adapters read (`headers.get`, `url`, `method`),
 * over an Express request, so the example's own routes resolve the caller with the very
 * adapter the auth route uses.
 */
export function presenceRequestOf(req: Request): PresenceRequest {
  return {
    method: req.method,
    url: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`,
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      },
    },
    raw: req,
  }
}
