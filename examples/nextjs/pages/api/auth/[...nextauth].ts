import type { NextApiRequest, NextApiResponse } from 'next'
import NextAuth from 'next-auth'
import { authOptions } from '@/lib/auth'
import { demoMode, trustedProxies } from '@/lib/env'
import { clientAddress, createRateLimiter, type RateLimiter } from '@/lib/rate-limit'

/**
 * next-auth's routes (`/api/auth/csrf`, `/signin`, `/callback/credentials`, `/session`,
 * `/signout`…), on the Pages Router as next-auth v4 apps usually mount them: here the request's
 * socket address is at hand, which keys the sign-in rate limit.
 */
const handler = NextAuth(authOptions)

let limiter: RateLimiter | undefined

/**
 * Credential sign-ins per client address: 5 a minute; a demo (`PRESENCE_DEMO=1`) signs several
 * users in from 127.0.0.1 at once and gets 60 per 10 s. The address is the socket's, or what a
 * configured trusted proxy says (`TRUSTED_PROXIES`), never a client's own `X-Forwarded-For`.
 */
function signInLimiter(): RateLimiter {
  limiter ??= demoMode()
    ? createRateLimiter({ max: 60, windowMs: 10_000 })
    : createRateLimiter({ max: 5, windowMs: 60_000 })
  return limiter
}

export default async function auth(req: NextApiRequest, res: NextApiResponse) {
  const [action, provider] = Array.isArray(req.query.nextauth) ? req.query.nextauth : []
  if (req.method === 'POST' && action === 'callback' && provider === 'credentials') {
    const address = clientAddress(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
      trustedProxies(),
    )
    if (!signInLimiter().hit(address)) {
      res.setHeader('Retry-After', '60')
      // next-auth/react's signIn reads `url` and its `error` parameter
      return res.status(429).json({
        url: `http://${req.headers.host ?? 'localhost'}/?error=RateLimited`,
        error: 'RateLimited',
      })
    }
  }
  return handler(req, res)
}
