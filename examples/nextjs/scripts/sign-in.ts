/**
 * Signing in to the example over HTTP, with no test dependency: the smoke script runs it
 * outside the repository too.
 */

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
