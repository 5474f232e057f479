import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, {
  type Request as ExpressRequest,
  type Response as ExpressResponse,
  type NextFunction,
} from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeSessionAdapter } from './conformance.js'
import { expressUser } from './express-user.js'
import type { PresenceRequest } from './types.js'

describeSessionAdapter('expressUser (req.user)', async () => ({
  adapter: expressUser(),
  async signIn(label) {
    return { userId: `u-${label}`, headers: {}, raw: { user: { id: `u-${label}`, name: label } } }
  },
  async forged() {
    return [
      { headers: {}, raw: { user: null } },
      { headers: {}, raw: { user: { name: 'no id' } } },
      { headers: {}, raw: { user: { id: '' } } },
      { headers: {}, raw: { user: { id: Number.NaN } } },
      { headers: {}, raw: 'not a request' },
      { headers: { cookie: 'connect.sid=s%3Aforged' } },
    ]
  },
}))

const SECRET = 'cookie-signing-secret'
const sign = (id: string) => `${id}.${createHmac('sha256', SECRET).update(id).digest('hex')}`

/** A passport-style middleware: verifies a signed cookie and sets `req.user`. */
function sessionMiddleware(req: ExpressRequest, _res: ExpressResponse, next: NextFunction) {
  const value = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
  const [id = '', mac = ''] = decodeURIComponent(value ?? '').split('.')
  const expected = sign(id).split('.')[1] ?? ''
  if (
    id &&
    mac.length === expected.length &&
    timingSafeEqual(Buffer.from(mac), Buffer.from(expected))
  ) {
    ;(req as ExpressRequest & { user?: unknown }).user = { id: Number(id), orgId: `org-${id}` }
  }
  next()
}

describe('expressUser inside a real Express 5 app', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    const adapter = expressUser((user: { id: number; orgId: string }) => ({
      userId: String(user.id),
      tenantId: user.orgId,
    }))
    const app = express()
    app.use(sessionMiddleware)
    app.post('/pusher/auth', async (req, res) => {
      const request: PresenceRequest = {
        method: req.method,
        url: `http://${req.headers.host}${req.originalUrl}`,
        headers: { get: (name) => req.get(name) ?? null },
        raw: req,
      }
      res.json({ session: await adapter(request) })
    })
    server = app.listen(0, '127.0.0.1')
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/auth`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const ask = async (cookie?: string) =>
    (
      (await (await fetch(url, { method: 'POST', headers: cookie ? { cookie } : {} })).json()) as {
        session: unknown
      }
    ).session

  it('reads the user the middleware put on req, through select', async () => {
    expect(await ask(`sid=${encodeURIComponent(sign('42'))}`)).toEqual({
      userId: '42',
      tenantId: 'org-42',
    })
  })

  it('is null when the middleware found no user', async () => {
    expect(await ask()).toBeNull()
    expect(await ask(`sid=${encodeURIComponent('42.forged')}`)).toBeNull()
  })
})
