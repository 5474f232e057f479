/**
 * A presence server shaped like the example apps (private, presence,
 * encrypted, optional-user and app-code definitions), used by the fuzz and
 * security suites. Every response it gives is recorded for the leak scan.
 * @module
 */
import { createHmac } from 'node:crypto'
import { createPresenceServer, createSigner, deny, type Session } from '@presence/server'

export const KEY = 'fuzz-key'
export const SECRET = 'fuzz-secret-0123456789abcdef'
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64')

/** Work sessions of the Chrome extension: id → owner and tenant. */
export const WORK_SESSIONS = new Map([
  ['s-ada', { userId: 'ada', tenantId: 'org-1', secretNote: 'ada-private-note-7f3a' }],
  ['s-bob', { userId: 'bob', tenantId: 'org-1', secretNote: 'bob-private-note-91cc' }],
  ['s-eve', { userId: 'eve', tenantId: 'org-2', secretNote: 'eve-private-note-c0de' }],
])

/** `Authorization: Bearer <userId>:<tenantId>` → session (a real adapter contract, tiny parser). */
export function bearerSession(request: {
  headers: { get(n: string): string | null }
}): Session | null {
  const header = request.headers.get('authorization')
  if (!header?.startsWith('Bearer ')) return null
  const [userId, tenantId] = header.slice(7).split(':')
  if (!userId) return null
  return tenantId ? { userId, tenantId } : { userId }
}

export interface RecordedResponse {
  status: number
  body: string
}

/** Creates the fixture server; `recorded` collects every response body it produced. */
export function createFixture(options: { debug?: boolean; cors?: readonly string[] } = {}) {
  const recorded: RecordedResponse[] = []
  const webhookEvents: unknown[] = []
  const signer = createSigner({ key: KEY, secret: SECRET, encryptionMasterKeyBase64: MASTER_KEY })
  const server = createPresenceServer({
    signer,
    session: bearerSession,
    debug: options.debug ?? false,
    ...(options.cors ? { cors: options.cors } : {}),
    channels: {
      'presence-messenger': ({ user }) => ({
        user_id: user.userId,
        user_info: { name: user.userId },
      }),
      'private-stream@{streamId}': {
        priority: 'high',
        authorize: ({ params }) =>
          params.streamId === 'forbidden'
            ? false
            : { events: [{ event: 'stream.online', data: { id: params.streamId } }] },
      },
      'presence-chat@{chatId}': ({ user, params }) =>
        params.chatId === 'team' && user.tenantId === 'org-1'
          ? { user_id: user.userId, user_info: { name: user.userId } }
          : false,
      'private-encrypted-notes-{noteId}': () => true,
      'private-feed@{feedId}': { user: 'optional', authorize: () => true },
      'private-session-{sessionId}': ({ user, params }) => {
        const doc = WORK_SESSIONS.get(params.sessionId)
        if (!doc || doc.tenantId !== user.tenantId)
          return deny('SESSION_NOT_FOUND', `no session ${params.sessionId}`)
        if (doc.userId !== user.userId) return deny('USER_MISMATCH', 'owned by another user')
        return true
      },
    },
    webhooks: {
      member_added: (event) => {
        webhookEvents.push(event)
      },
      member_removed: (event) => {
        webhookEvents.push(event)
      },
      channel_occupied: (event) => {
        webhookEvents.push(event)
      },
      channel_vacated: (event) => {
        webhookEvents.push(event)
      },
      client_event: (event) => {
        webhookEvents.push(event)
      },
    },
  })
  const wrap =
    (handler: (request: Request) => Promise<Response>) =>
    async (request: Request): Promise<Response> => {
      const response = await handler(request)
      const body = await response.clone().text()
      recorded.push({ status: response.status, body })
      return response
    }
  return {
    server,
    recorded,
    webhookEvents,
    auth: wrap(server.handlers.auth),
    batch: wrap(server.handlers.batch),
    userAuth: wrap(server.handlers.userAuth),
    webhook: wrap(server.handlers.webhook),
  }
}

/** The Pusher-protocol webhook signature of `body`. */
export function webhookSignature(body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex')
}

/** Pusher's rules for a channel name that may be signed. */
export const VALID_NAME = /^[A-Za-z0-9_\-=@,.;]{1,200}$/
/** Pusher's socket id format. */
export const VALID_SOCKET_ID = /^\d+\.\d+$/
