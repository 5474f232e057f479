import { createPresenceClient, type PresenceClient } from '@presence/client'
import type { SoketiServer } from '@presence/testing'
import { waitFor } from '@presence/testing'

/** A user signed in from Node and joined to `presence-messenger` with pusher-js. */
export interface SimulatedUser {
  readonly email: string
  readonly userId: string
  readonly client: PresenceClient
  /** Leaves the channel and closes the socket. */
  stop(): void
}

/** The `name=value` pairs of a response's `Set-Cookie` headers. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split(';')[0] ?? '')
}

/**
 * Signs in through next-auth's HTTP API (CSRF token, then the credentials callback), as the
 * sign-in form's `signIn('credentials', …)` does.
 * @returns the session cookie (`name=value`) and the user id.
 */
export async function signIn(
  url: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ cookie: string; userId: string }> {
  const csrf = await fetch(`${url}/api/auth/csrf`)
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(csrf).join('; '),
      ...headers,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  })
  const cookie = cookiesOf(res).find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c))
  if (!cookie) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`)
  const session = await fetch(`${url}/api/auth/session`, { headers: { cookie } })
  const body = (await session.json()) as { user?: { id?: string } }
  if (!body.user?.id) throw new Error(`no session for ${email} after signing in`)
  return { cookie, userId: body.user.id }
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
