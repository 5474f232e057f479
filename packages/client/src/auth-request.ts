import { type AuthOutcome, readOutcome } from './auth-response.js'
import { fail } from './errors.js'
import type { AuthOptions } from './options.js'

/**
 * Sends one authorization request, for one channel (pusher-js's form POST to
 * `endpoint`) or several (JSON POST to `batchEndpoint`, already resolved from
 * `endpoint` by the authorizer), and reads the answer
 * per channel. Never rejects: failures become per-channel errors.
 *
 * @param options - the client's auth options.
 * @param socketId - pusher-js's socket id.
 * @param names - distinct channel names (one when `batch` is false).
 * @param batch - use `batchEndpoint` and its JSON format.
 * @param out - receives the outcome of every name (a retry overwrites the first answer).
 * @internal
 */
export async function requestAuth(
  options: AuthOptions,
  socketId: string,
  names: string[],
  batch: boolean,
  out: Map<string, AuthOutcome>,
): Promise<void> {
  const url = (batch && options.batchEndpoint) || options.endpoint
  let response: Response | undefined
  let body: unknown
  let failure: unknown
  try {
    const extraHeaders = options.headers
    const headers = new Headers(
      typeof extraHeaders === 'function' ? await extraHeaders() : extraHeaders,
    )
    headers.set('Content-Type', batch ? 'application/json' : 'application/x-www-form-urlencoded')
    // Called without a receiver: a browser's fetch throws when `this` is another object.
    const send = options.fetch ?? fetch
    response = await send(url, {
      method: 'POST',
      headers,
      // Absent means fetch's default, 'same-origin'.
      credentials: options.credentials as RequestCredentials,
      body: batch
        ? JSON.stringify({ socket_id: socketId, channels: names })
        : String(new URLSearchParams({ socket_id: socketId, channel_name: names[0] as string })),
    })
    body = await response.json()
  } catch (error) {
    failure = error
  }
  for (const name of names) {
    out.set(
      name,
      response
        ? readOutcome(
            name,
            batch && response.ok && body ? (body as Record<string, unknown>)[name] : body,
            response,
            url,
          )
        : fail('NETWORK_ERROR', { channel: name, cause: failure, url }),
    )
  }
}
