import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, {
  type Request as ExpressRequest,
  type Response as ExpressResponse,
  type NextFunction,
} from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toExpress } from '../express.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { describeSessionAdapter } from './conformance.js'
import { expressUser } from './express-user.js'

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

describe('expressUser inside a real Express 5 app, through toExpress', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    const presence = createPresenceServer({
      signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
      session: expressUser((user: { id: number; orgId: string }) => ({
        userId: String(user.id),
        tenantId: user.orgId,
      })),
      channels: {
        'private-org-{orgId}': ({ user, params }) => user.tenantId === params.orgId,
      },
    })
    const app = express()
    app.use(sessionMiddleware)
    app.post('/pusher/auth', toExpress(presence.handlers.auth))
    server = app.listen(0, '127.0.0.1')
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/auth`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const ask = (channel: string, cookie?: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams({ socket_id: '123.456', channel_name: channel }),
    })

  it('signs for the user the middleware put on req (select maps the tenant)', async () => {
    const response = await ask('private-org-org-42', `sid=${encodeURIComponent(sign('42'))}`)
    expect(response.status).toBe(200)
    const expected = createHmac('sha256', 'app-secret')
      .update('123.456:private-org-org-42')
      .digest('hex')
    expect(await response.json()).toEqual({ auth: `app-key:${expected}` })
    expect((await ask('private-org-org-7', `sid=${encodeURIComponent(sign('42'))}`)).status).toBe(
      403,
    )
  })

  it('is 401 when the middleware found no user', async () => {
    expect((await ask('private-org-org-42')).status).toBe(401)
    expect((await ask('private-org-org-42', `sid=${encodeURIComponent('42.forged')}`)).status).toBe(
      401,
    )
  })
})
