import { createPresenceClient, type MemberSnapshot } from '@presence/client'
import Pusher from 'pusher-js/worker'
import {
  type ExtensionConfig,
  initialView,
  SESSION_UPDATED_EVENT,
  type SessionPayload,
  sessionChannelName,
  type WatchView,
} from '../shared/protocol.js'

/** What {@link startWatcher} needs. */
export interface WatcherOptions {
  sessionId: string
  config: ExtensionConfig
  /** Reads the current token (called before every request, so a new token is picked up). */
  readToken(): Promise<string | undefined>
  /** Receives every new view. */
  publish(view: WatchView): void
}

/** A running watcher; `stop()` closes the socket and the polling timer. */
export interface Watcher {
  stop(): void
}

async function bearerHeaders(readToken: () => Promise<string | undefined>) {
  const token = await readToken()
  // The original extension, check 1: exactly `Authorization: Bearer <accessToken>`, or nothing at all.
  const headers: Record<string, string> = {}
  if (token) headers.Authorization = `Bearer ${token}`
  return headers
}

/**
 * Follows one work session: subscribes to `private-session-<id>` through `@presence/client`
 * (pusher-js's worker build, since this runs in the MV3 service worker), and when the channel
 * is refused, shows the server's code and polls `GET /api/sessions/:id` instead.
 *
 * The socket pings every 20 s (`activityTimeout`), and since Chrome 116 websocket traffic keeps
 * an extension service worker alive, so the subscription survives the 30 s idle limit.
 */
export function startWatcher(options: WatcherOptions): Watcher {
  const { sessionId, config, readToken, publish } = options
  const channel = sessionChannelName(sessionId)
  let view: WatchView = { ...initialView(sessionId, false), connection: 'connecting' }
  let stopped = false
  let pollTimer: ReturnType<typeof setInterval> | undefined

  const update = (patch: Partial<WatchView>) => {
    if (stopped) return
    view = { ...view, ...patch }
    publish(view)
  }
  publish(view)
  void readToken().then((token) => update({ hasToken: Boolean(token) }))

  const pusher = new Pusher(config.pusherKey, {
    cluster: 'local',
    wsHost: config.wsHost,
    wsPort: config.wsPort,
    wssPort: config.wsPort,
    forceTLS: config.forceTLS,
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
    activityTimeout: 20_000,
  })
  const client = createPresenceClient({
    pusher,
    auth: {
      endpoint: `${config.backendUrl}/api/pusher/auth`,
      headers: () => bearerHeaders(readToken),
      // Bearer only: the extension has no cookie of the backend's origin to send.
      credentials: 'omit',
    },
  })

  const poll = async () => {
    let status = 0
    let code: string | null = null
    let session: SessionPayload | null = null
    try {
      const response = await fetch(
        `${config.backendUrl}/api/sessions/${encodeURIComponent(sessionId)}`,
        {
          headers: await bearerHeaders(readToken),
          credentials: 'omit',
        },
      )
      status = response.status
      const body = (await response.json().catch(() => null)) as {
        session?: SessionPayload
        error?: { code?: string }
      } | null
      if (response.ok && body?.session) session = body.session
      else code = body?.error?.code ?? 'HTTP_ERROR'
    } catch {
      code = 'NETWORK_ERROR'
    }
    if (stopped || view.mode !== 'polling') return
    update({
      poll: { count: view.poll.count + 1, lastStatus: status, lastCode: code },
      ...(session ? { session, source: 'poll' as const } : {}),
    })
  }

  const startPolling = () => {
    if (pollTimer !== undefined) return
    void poll()
    pollTimer = setInterval(() => void poll(), config.pollIntervalMs)
  }
  const stopPolling = () => {
    if (pollTimer !== undefined) clearInterval(pollTimer)
    pollTimer = undefined
  }

  const onSnapshot = (snapshot: MemberSnapshot) => {
    if (snapshot.status === 'subscribed') {
      stopPolling()
      update({ mode: 'live', refusal: null })
    } else if (snapshot.error) {
      // Unlike the original extension, a refused channel no longer fails silently. The code is shown and the
      // extension falls back to polling.
      const { code, status, message } = snapshot.error
      update({
        mode: 'polling',
        refusal: message === undefined ? { code, status } : { code, status, message },
      })
      startPolling()
    }
  }

  const store = client.members(channel)
  const unsubscribeStore = store.subscribe(() => onSnapshot(store.getSnapshot()))
  const unsubscribeConnection = client.connection.subscribe(() =>
    update({ connection: client.connection.getSnapshot() }),
  )
  const unbind = client.on<SessionPayload>(channel, SESSION_UPDATED_EVENT, (session) =>
    update({ session, source: 'realtime', events: view.events + 1 }),
  )
  const handle = client.subscribe(channel)
  onSnapshot(store.getSnapshot())

  return {
    stop() {
      stopped = true
      stopPolling()
      unbind()
      unsubscribeStore()
      unsubscribeConnection()
      handle.release()
      client.destroy()
      pusher.disconnect()
    },
  }
}
