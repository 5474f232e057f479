/**
 * Signing in over HTTP, as a client of the backend does it: better-auth's
 * `POST /api/auth/sign-in/email`. The answer carries both credentials of the original app:
 * the `set-auth-token` header (the `bearer` plugin: the extension's `accessToken`) and the
 * web app's session cookie (`Set-Cookie`).
 * @module
 */

/** What a successful sign-in gives. */
export interface SignedIn {
  userId: string
  /** For `Authorization: Bearer <token>` (the extension's `chrome.storage.local.accessToken`). */
  token: string
  /** The `Cookie` header value of the web app's session. */
  cookie: string
}

/** A sign-in or organization switch the backend refused. */
export class SignInError extends Error {
  readonly code = 'SIGN_IN_FAILED'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'SignInError'
  }
}

async function post(baseUrl: string, path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${baseUrl}/api/auth${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...headers },
    body: JSON.stringify(body),
  })
}

/**
 * Signs in with email and password, then makes `organizationId` the session's active
 * organization when given (better-auth's organization plugin; the tenant the backend resolves).
 *
 * @param baseUrl - the backend's URL, e.g. `http://127.0.0.1:3000`
 * @param credentials - email and password
 * @param organizationId - the organization to make active, if any
 * @returns the user id, the Bearer token and the cookie of one new session
 * @throws {SignInError} when better-auth refuses (wrong password, unknown user, rate limit)
 */
export async function signIn(
  baseUrl: string,
  credentials: { email: string; password: string },
  organizationId?: string,
): Promise<SignedIn> {
  const response = await post(baseUrl, '/sign-in/email', credentials, {})
  if (!response.ok)
    throw new SignInError(
      response.status,
      `sign-in refused: ${response.status} ${await response.text()}`,
    )
  const token = response.headers.get('set-auth-token')
  const { user } = (await response.json()) as { user: { id: string } }
  if (!token) throw new SignInError(500, 'the backend sent no set-auth-token (bearer plugin off?)')
  const cookie = response.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ')
  if (organizationId) {
    const active = await post(
      baseUrl,
      '/organization/set-active',
      { organizationId },
      { authorization: `Bearer ${token}` },
    )
    if (!active.ok)
      throw new SignInError(
        active.status,
        `set-active refused: ${active.status} ${await active.text()}`,
      )
  }
  return { userId: user.id, token, cookie }
}
