/**
 * What the extension, its backend and the tests agree on: storage keys, the channel and event
 * names, and the shape of the state the service worker publishes for the UI.
 * Imported by both sides, so it holds types and constants only.
 * @module
 */

/** Keys of `chrome.storage.local` the extension reads. */
export const STORAGE_KEYS = {
  /** The Bearer token (the original extension: `chrome.storage.local.accessToken`). */
  accessToken: 'accessToken',
  /** The work session to follow. */
  sessionId: 'sessionId',
  /** {@link ExtensionConfig} overrides (backend URL, websocket host...). */
  config: 'config',
} as const

/** Key of `chrome.storage.session` under which the service worker publishes its {@link WatchView}. */
export const VIEW_KEY = 'view'

/** The event the backend triggers on `private-session-<id>` when the session changes. */
export const SESSION_UPDATED_EVENT = 'session-updated'

/** The channel of one work session: `private-session-<sessionId>`. */
export function sessionChannelName(sessionId: string): string {
  return `private-session-${sessionId}`
}

/** Where the extension finds its backend and the websocket server. */
export interface ExtensionConfig {
  /** The backend's origin, e.g. `http://localhost:3000`. */
  backendUrl: string
  /** The app key of the Pusher-protocol server. */
  pusherKey: string
  wsHost: string
  wsPort: number
  forceTLS: boolean
  /** How often to poll `GET /api/sessions/:id` once the channel is refused, in milliseconds. */
  pollIntervalMs: number
}

/** A work session as the backend sends it (over the channel and from the polling endpoint). */
export interface SessionPayload {
  sessionId: string
  title: string
  status: string
  version: number
  updatedAt: number
}

/** The refusal the auth endpoint answered, as the client reports it. */
export interface RefusalView {
  code: string
  status: number
  message?: string
}

/**
 * What the UI shows, published by the service worker.
 *
 * - `idle`: no session id configured.
 * - `connecting`: subscribing to the channel.
 * - `live`: subscribed; updates arrive over the websocket.
 * - `polling`: the channel was refused (see `refusal`); the worker polls the session endpoint.
 */
export interface WatchView {
  mode: 'idle' | 'connecting' | 'live' | 'polling'
  sessionId: string | null
  channel: string | null
  /** Whether a token was found in `chrome.storage.local`. */
  hasToken: boolean
  /** The last known state of the session, and where it came from. */
  session: SessionPayload | null
  source: 'realtime' | 'poll' | null
  refusal: RefusalView | null
  /** Events received on the channel. */
  events: number
  poll: {
    /** Requests sent to the polling endpoint. */
    count: number
    lastStatus: number | null
    /** The `error.code` of the last poll answer, when it failed. */
    lastCode: string | null
  }
  /** pusher-js's connection state. */
  connection: string
}

/** The view before anything happened. */
export function initialView(sessionId: string | null, hasToken: boolean): WatchView {
  return {
    mode: sessionId ? 'connecting' : 'idle',
    sessionId,
    channel: sessionId ? sessionChannelName(sessionId) : null,
    hasToken,
    session: null,
    source: null,
    refusal: null,
    events: 0,
    poll: { count: 0, lastStatus: null, lastCode: null },
    connection: 'initialized',
  }
}
