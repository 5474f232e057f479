import type { UserAuthenticationCallback, UserAuthenticationHandler } from 'pusher-js'
import { type AuthPayload, readOutcome } from './auth-response.js'
import { fail, type PresenceClientError } from './errors.js'
import type { AuthOptions, PresenceUser, PusherLike } from './options.js'
import type { SignInSnapshot } from './snapshots.js'
import { createStore, type WritableStore } from './store.js'
import type { TokenRefresh } from './token-refresh.js'

/** The sign-in of one client: its observable state and hooks for the client. @internal */
export interface SignIn {
  readonly store: WritableStore<SignInSnapshot>
  /** Tells the sign-in that the app set another user (or `null`). */
  userChanged(previous: PresenceUser | null | undefined, next: PresenceUser | null): void
  /** Stops watching pusher-js (client destroyed). */
  stop(): void
}

/** What {@link createSignIn} needs from the client. @internal */
export interface SignInOptions {
  readonly pusher: PusherLike
  readonly auth: AuthOptions
  /** The client's token refresh gate, shared with channel authorization. */
  readonly refresh: TokenRefresh | undefined
  /** The current user. */
  readonly user: () => PresenceUser | null | undefined
}

/** The Pusher protocol code of a connection the websocket server closed as unauthorized. */
const UNAUTHORIZED_CLOSE = 4009

/** The `channel` of the sign-in's errors. */
const SIGN_IN = 'sign-in'

const OFF: SignInSnapshot = { status: 'off', error: null }
const PENDING: SignInSnapshot = { status: 'signing-in', error: null }
const SIGNED_IN: SignInSnapshot = { status: 'signed-in', error: null }

/**
 * The user-auth URL of the client's endpoints, or `undefined` when they have none:
 *
 * - `userAuthEndpoint` is a URL: that one; `false`: none.
 * - absent, and `endpoint` is where `presence.handler` is mounted (its path does not end in
 *   `/auth`, and batching is not turned off): its `/user-auth` path, query string kept
 *   (`'/api/pusher'` → `'/api/pusher/user-auth'`).
 * - absent otherwise (a single-channel `…/auth` endpoint): none.
 *
 * @param auth - the client's auth options.
 * @returns the URL, or `undefined`.
 * @throws {@link PresenceClientError} `INVALID_OPTIONS` when `userAuthEndpoint` is neither a
 *   non-empty string nor `false`.
 * @internal
 */
export function userAuthUrlOf(auth: AuthOptions): string | undefined {
  const { endpoint, batchEndpoint, userAuthEndpoint } = auth
  if (userAuthEndpoint === false) return undefined
  if (userAuthEndpoint !== undefined) {
    if (typeof userAuthEndpoint !== 'string' || userAuthEndpoint === '')
      throw fail('INVALID_OPTIONS', { field: 'auth.userAuthEndpoint' })
    return userAuthEndpoint
  }
  if (batchEndpoint === false || typeof endpoint !== 'string') return undefined
  const end = endpoint.search(/[?#]/)
  const path = (end < 0 ? endpoint : endpoint.slice(0, end)).replace(/\/+$/, '')
  if (path.endsWith('/auth')) return undefined
  return `${path}/user-auth${end < 0 ? '' : endpoint.slice(end)}`
}

/**
 * One sign-in request: a form POST `socket_id` to the user-auth URL, with the
 * client's headers, credentials and fetch, read like a channel's answer (the
 * refusal's code, or a payload that must hold string `auth` and `user_data`).
 * Never rejects.
 */
async function requestSignIn(
  auth: AuthOptions,
  url: string,
  socketId: string,
): Promise<AuthPayload | PresenceClientError> {
  let response: Response | undefined
  let body: unknown
  try {
    const extra = auth.headers
    const headers = new Headers(typeof extra === 'function' ? await extra() : extra)
    headers.set('Content-Type', 'application/x-www-form-urlencoded')
    // Called without a receiver: a browser's fetch throws when `this` is another object.
    response = await (auth.fetch ?? fetch)(url, {
      method: 'POST',
      headers,
      credentials: auth.credentials as RequestCredentials,
      body: String(new URLSearchParams({ socket_id: socketId })),
    })
    body = await response.json()
  } catch (cause) {
    if (!response) return fail('NETWORK_ERROR', { channel: SIGN_IN, cause, url })
  }
  const outcome = readOutcome(SIGN_IN, body, response, url)
  return outcome instanceof Error ||
    typeof (outcome as { user_data?: unknown }).user_data === 'string'
    ? outcome
    : fail('INVALID_AUTH_RESPONSE', {
        status: response.status,
        channel: SIGN_IN,
        field: 'user_data',
      })
}

/** pusher-js's user facade, as far as the sign-in reads it. */
interface UserFacade {
  signin_requested: boolean
  /** Signs in on the current connection if `signin_requested` (private in pusher-js 8). */
  _signin(): void
}

/**
 * Signs the connection in (pusher-js `signin()`) while a user is set and the
 * endpoints include user-auth, so the app server can end that user's
 * connections (`presence.revokeUser`).
 *
 * pusher-js signs in once per connection, and again on every new connection
 * (a reconnect), through `config.userAuthenticator`, which this installs:
 * one request to the user-auth URL; a 401 calls `onUnauthorized()` once per
 * token generation (the gate shared with channel authorization) and is
 * retried once; an answer for a socket that is gone is dropped (pusher-js
 * signs in again on the new one). `pusher:error` 4009 on a signed-in
 * connection means the app server ended it: the store turns `revoked`, and
 * the connection is opened again (pusher-js would stay disconnected), so its
 * channels and sign-in are decided again by the app server's normal rules.
 *
 * @param options - the pusher-js instance, auth options, refresh gate and user.
 * @returns the sign-in.
 * @internal
 */
export function createSignIn({ pusher, auth, refresh, user }: SignInOptions): SignIn {
  const store = createStore<SignInSnapshot>(OFF)
  const url = userAuthUrlOf(auth)
  if (url === undefined) return { store, userChanged() {}, stop() {} }
  const facade = pusher.user as unknown as UserFacade
  let revoked: SignInSnapshot | null = null
  let reopen = false

  const settle = (next: SignInSnapshot) => {
    // "Signed out elsewhere" stays visible until a sign-in succeeds or the user changes.
    store.set(revoked && next.status !== 'signed-in' && next.status !== 'off' ? revoked : next)
  }

  const authenticator: UserAuthenticationHandler = (params, callback) => {
    void authenticate(params.socketId, callback)
  }
  const authenticate = async (socketId: string, callback: UserAuthenticationCallback) => {
    if (!user()) return
    settle(PENDING)
    const generation = refresh?.generation ?? 0
    let outcome = await requestSignIn(auth, url, socketId)
    if (refresh && outcome instanceof Error && outcome.status === 401) {
      await refresh.refreshAfter(generation)
      outcome = await requestSignIn(auth, url, socketId)
    }
    // An answer for a socket that is gone: pusher-js signs in again on the new connection.
    if (socketId !== pusher.connection.socket_id || !user()) return
    if (outcome instanceof Error) {
      const { code, status, message } = outcome
      settle({ status: 'refused', error: { code, status, message } })
      callback(outcome, null)
    } else callback(null, outcome as { auth: string; user_data: string })
  }
  pusher.config.userAuthenticator = authenticator

  const onMessage = (message: { event?: string }) => {
    if (message?.event === 'pusher:signin_success' && user()) {
      revoked = null
      settle(SIGNED_IN)
    }
  }
  const onError = (error: { type?: string; data?: { code?: unknown } }) => {
    if (error?.type !== 'PusherError' || error.data?.code !== UNAUTHORIZED_CLOSE) return
    if (store.getSnapshot().status !== 'signed-in') return
    revoked = {
      status: 'revoked',
      error: { code: 'REVOKED', status: UNAUTHORIZED_CLOSE },
    }
    reopen = true
    store.set(revoked)
  }
  // pusher-js closes a connection refused with 4009 for good: open it again, once.
  const onStateChange = ({ current }: { current: string }) => {
    if (current === 'disconnected' && reopen) {
      reopen = false
      pusher.connect()
    }
  }
  pusher.connection.bind('message', onMessage)
  pusher.connection.bind('error', onError)
  pusher.connection.bind('state_change', onStateChange)

  const start = () => {
    if (facade.signin_requested) facade._signin()
    else pusher.signin()
  }
  if (user()) start()

  return {
    store,
    userChanged(previous, next) {
      if (next === null) {
        // No sign-out in the protocol: no new sign-in from now on. The app server ends the
        // connections still signed in as the previous user (`presence.revokeUser`).
        facade.signin_requested = false
        revoked = null
        store.set(OFF)
      } else if (!previous || previous.id !== next.id) {
        revoked = null
        start()
      }
    },
    stop() {
      pusher.connection.unbind('message', onMessage)
      pusher.connection.unbind('error', onError)
      pusher.connection.unbind('state_change', onStateChange)
    },
  }
}
