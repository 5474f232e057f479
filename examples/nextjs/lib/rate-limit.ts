import { isIP } from 'node:net'

/** A fixed-window counter per key: at most `max` hits per `windowMs`. */
export interface RateLimiter {
  /** Counts a hit for `key`; `false` when the key is over its limit (the hit is refused). */
  hit(key: string, now?: number): boolean
}

/** Creates a {@link RateLimiter} that keeps at most `maxKeys` keys in memory. */
export function createRateLimiter(options: {
  max: number
  windowMs: number
  maxKeys?: number
}): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>()
  const maxKeys = options.maxKeys ?? 10_000
  return {
    hit(key, now = Date.now()) {
      const window = windows.get(key)
      if (!window || now - window.start >= options.windowMs) {
        windows.delete(key)
        if (windows.size >= maxKeys) {
          const oldest = windows.keys().next().value
          if (oldest !== undefined) windows.delete(oldest)
        }
        windows.set(key, { start: now, count: 1 })
        return true
      }
      window.count++
      return window.count <= options.max
    },
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one address. */
function normalize(address: string): string {
  const trimmed = address.trim()
  return trimmed.startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed
}

/**
 * The address a request comes from, as far as the app can trust it: the socket's peer, unless
 * that peer is one of `trustedProxies`; then `X-Forwarded-For` is read from the right, skipping
 * trusted proxies, and the first other address is the client. A client cannot choose its key
 * by sending `X-Forwarded-For` itself: without a trusted proxy in front, the header is ignored.
 *
 * @param socketAddress - the TCP peer (`req.socket.remoteAddress`).
 * @param forwardedFor - the `X-Forwarded-For` header, if any.
 * @param trustedProxies - addresses of the app's own reverse proxies.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: ReadonlySet<string>,
): string {
  const peer = normalize(socketAddress ?? 'unknown')
  if (!trustedProxies.has(peer) || forwardedFor === undefined) return peer
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map(normalize)
    .filter((hop) => isIP(hop) !== 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string
    if (!trustedProxies.has(hop)) return hop
  }
  return hops[0] ?? peer
}
