import { deny } from '@presence/server'
import { SESSION_UPDATED_EVENT } from '../shared/protocol.js'
import type { ExampleDatabase } from './db.js'
import { toPayload } from './sessions-routes.js'

/** The pattern of the original app's channels; `{sessionId}` needs at least one character. */
export const SESSION_CHANNEL_PATTERN = 'private-session-{sessionId}'

/**
 * The original app's route, as one channel definition. The checks the hand-written route did inline
 * are done by `@presence/server` before this runs (request shape, channel name, Bearer/cookie
 * session, `private-session-` prefix and a non-empty id); what is left is the database:
 *
 * 1. `findSession(sessionId, tenantId)`: nothing → `SESSION_NOT_FOUND` (wrong id, or the original app's
 *    tenant mismatch: the session was stored under another tenant than the caller resolves to).
 * 2. `doc.userId !== user.userId` → `USER_MISMATCH` (someone else's session in the same tenant).
 * 3. Otherwise allow, and hand the session's current state over as a retained
 *    `session-updated` event, so the extension shows it without a second request.
 *
 * The messages name the values that differ; they reach the client only in debug mode.
 */
export function sessionChannel(db: ExampleDatabase) {
  return {
    authorize({
      user,
      params,
    }: {
      user: { userId: string; tenantId?: string }
      params: { sessionId: string }
    }) {
      const tenantId = user.tenantId ?? user.userId
      const doc = db.findSession(params.sessionId, tenantId)
      if (!doc) {
        return deny(
          'SESSION_NOT_FOUND',
          `No session for sessionId=${params.sessionId} and tenantId=${tenantId}. Check that the session was created with the tenant this user resolves to (active organization, else user:<user id>).`,
        )
      }
      if (doc.userId !== user.userId) {
        return deny(
          'USER_MISMATCH',
          `Session ${params.sessionId} belongs to another user (doc.userId=${doc.userId}, auth userId=${user.userId}); only its owner may subscribe.`,
        )
      }
      return { events: [{ event: SESSION_UPDATED_EVENT, data: toPayload(doc) }] }
    },
  }
}
