import type { NextFunction, Request, Response } from 'express'

/** One request the backend answered, as the tests see it. */
export interface LoggedRequest {
  method: string
  path: string
  status: number
  origin: string | null
  /** Which credential the request carried (not whether it was valid). */
  credential: 'bearer' | 'cookie' | 'none'
  at: number
}

/**
 * Records every answered request into `log` (kept to the last `limit` entries), e.g. to see the
 * extension's polling requests arrive once its channel is refused.
 */
export function requestLog(log: LoggedRequest[], limit = 1_000) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Read now: a mounted router strips its prefix from `req.url` (and `req.path`).
    const path = req.originalUrl.split('?')[0] ?? req.originalUrl
    res.on('finish', () => {
      const authorization = req.get('authorization')
      log.push({
        method: req.method,
        path,
        status: res.statusCode,
        origin: req.get('origin') ?? null,
        credential: authorization?.toLowerCase().startsWith('bearer ')
          ? 'bearer'
          : req.get('cookie')
            ? 'cookie'
            : 'none',
        at: Date.now(),
      })
      if (log.length > limit) log.splice(0, log.length - limit)
    })
    next()
  }
}
