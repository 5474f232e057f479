import type { SessionAdapter } from '@presence/server/session'
import express, { type Request, type Response, Router } from 'express'
import type Pusher from 'pusher'
import {
  SESSION_UPDATED_EVENT,
  type SessionPayload,
  sessionChannelName,
} from '../shared/protocol.js'
import type { AppSession } from './app-session.js'
import type { ExampleDatabase, WorkSession } from './db.js'
import { presenceRequestOf } from './presence-request.js'

/** The public part of a work session: what the channel and the polling endpoint send. */
export function toPayload(session: WorkSession): SessionPayload {
  return {
    sessionId: session.sessionId,
    title: session.title,
    status: session.status,
    version: session.version,
    updatedAt: session.updatedAt,
  }
}

interface SessionsRoutesOptions {
  db: ExampleDatabase
  session: SessionAdapter<AppSession>
  pusher: Pusher
  debug: boolean
}

/**
 * `GET /api/sessions/:id` (the extension's polling fallback), `POST /api/sessions` and
 * `PATCH /api/sessions/:id` (which also triggers `session-updated` on the session's channel).
 *
 * Reading is allowed to every member of the session's tenant; the realtime channel is for the
 * owner only. That is the original app's "session created by another user in the same org" case: the
 * channel answers `USER_MISMATCH`, and polling still shows the session.
 */
export function sessionsRoutes({ db, session, pusher, debug }: SessionsRoutesOptions): Router {
  const router = Router()
  router.use(express.json({ limit: '16kb' }))

  const fail = (res: Response, status: number, code: string, message: string) => {
    res.status(status).json({ error: debug ? { code, message } : { code } })
  }
  const caller = async (req: Request, res: Response): Promise<AppSession | null> => {
    const found = await session(presenceRequestOf(req))
    if (!found) {
      fail(res, 401, 'UNAUTHENTICATED', 'no Bearer token or session cookie was accepted')
    }
    return found
  }

  router.get('/:sessionId', async (req, res) => {
    const me = await caller(req, res)
    if (!me) return
    const found = db.findSession(req.params.sessionId, me.tenantId)
    if (!found) {
      fail(
        res,
        404,
        'SESSION_NOT_FOUND',
        `no session ${req.params.sessionId} in tenant ${me.tenantId}`,
      )
      return
    }
    res.json({ session: toPayload(found) })
  })

  router.post('/', async (req, res) => {
    const me = await caller(req, res)
    if (!me) return
    const title = typeof req.body?.title === 'string' ? req.body.title.trim() : ''
    if (!title) {
      fail(res, 400, 'BAD_REQUEST', 'a non-empty `title` is required')
      return
    }
    // Checklist 3: the tenant written here is the one the auth route will look the session up with.
    const created = db.createSession({ tenantId: me.tenantId, userId: me.userId, title })
    res.status(201).json({ session: toPayload(created) })
  })

  router.patch('/:sessionId', async (req, res) => {
    const me = await caller(req, res)
    if (!me) return
    const found = db.findSession(req.params.sessionId, me.tenantId)
    if (!found) {
      fail(
        res,
        404,
        'SESSION_NOT_FOUND',
        `no session ${req.params.sessionId} in tenant ${me.tenantId}`,
      )
      return
    }
    if (found.userId !== me.userId) {
      fail(res, 403, 'USER_MISMATCH', 'only the owner of a session may change it')
      return
    }
    const body = (req.body ?? {}) as { title?: unknown; status?: unknown }
    const updated = db.updateSession(found.sessionId, {
      ...(typeof body.title === 'string' ? { title: body.title } : {}),
      ...(typeof body.status === 'string' ? { status: body.status } : {}),
    })
    if (!updated) {
      fail(res, 404, 'SESSION_NOT_FOUND', `session ${found.sessionId} was deleted meanwhile`)
      return
    }
    const payload = toPayload(updated)
    await pusher.trigger(sessionChannelName(updated.sessionId), SESSION_UPDATED_EVENT, payload)
    res.json({ session: payload })
  })

  return router
}
