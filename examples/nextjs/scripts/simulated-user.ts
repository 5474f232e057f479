import { createPresenceClient, type PresenceClient } from '@presence/client'
import type { SoketiServer } from '@presence/testing'
import { waitFor } from '@presence/testing'
import { signIn } from './sign-in'

export { signIn }

/** A user signed in from Node and joined to `presence-messenger` with pusher-js. */
export interface SimulatedUser {
  readonly email: string
  readonly userId: string
  readonly client: PresenceClient
  /** Leaves the channel and closes the socket. */
  stop(): void
}

/**
 * Signs a user in and joins `presence-messenger` from Node with
 * `@presence/client` over pusher-js, authorized by the app's own endpoints
 * with the user's session cookie.
 *
 * @returns once soketi confirmed the subscription.
 */
export async function simulateUser(
  url: string,
  soketi: SoketiServer,
  email: string,
  password: string,
): Promise<SimulatedUser> {
  const { cookie, userId } = await signIn(url, email, password)
  const client = createPresenceClient({
    pusher: { key: soketi.key, ...soketi.pusherJsOptions },
    auth: {
      endpoint: `${url}/api/pusher`,
      headers: { cookie },
    },
    user: { id: userId },
  })
  const handle = client.subscribe('presence-messenger')
  const members = client.members('presence-messenger')
  try {
    await waitFor(
      () => {
        const { status, error } = members.getSnapshot()
        if (error) throw new Error(`${email}: ${error.status} ${error.code}`)
        return status === 'subscribed'
      },
      { timeoutMs: 15_000, what: `${email} in presence-messenger` },
    )
  } catch (error) {
    client.destroy()
    throw error
  }
  return {
    email,
    userId,
    client,
    stop() {
      handle.release()
      client.destroy()
    },
  }
}
