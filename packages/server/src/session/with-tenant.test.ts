import { describe, expect, it } from 'vitest'
import { expressUser } from './express-user.js'
import type { PresenceRequest } from './types.js'
import { withTenant } from './with-tenant.js'

const request = (raw: unknown, headers: Record<string, string> = {}): PresenceRequest => ({
  method: 'POST',
  url: 'http://localhost/auth',
  headers: new Headers(headers),
  raw,
})

describe('withTenant (seed 002: active organization, else the user)', () => {
  const adapter = withTenant(
    expressUser((user: { id: string; activeOrg?: string | null }) => ({
      userId: user.id,
      activeOrg: user.activeOrg,
    })),
    (session) => session.activeOrg as string | null | undefined,
  )

  it('uses the resolved tenant', async () => {
    expect(await adapter(request({ user: { id: 'u1', activeOrg: 'org-7' } }))).toMatchObject({
      userId: 'u1',
      tenantId: 'org-7',
    })
  })

  it("falls back to the user's own tenant, user:<id>, for null, undefined or an empty string", async () => {
    for (const activeOrg of [null, undefined, '']) {
      expect((await adapter(request({ user: { id: 'u2', activeOrg } })))?.tenantId).toBe('user:u2')
    }
  })

  it('never puts a user in the organization of the same id (sequential ids)', async () => {
    const withoutOrg = await adapter(request({ user: { id: '7', activeOrg: null } }))
    const inOrg7 = await adapter(request({ user: { id: '8', activeOrg: '7' } }))
    expect(inOrg7?.tenantId).toBe('7')
    expect(withoutOrg?.tenantId).not.toBe(inOrg7?.tenantId)
  })

  it('passes "no session" through without calling resolve', async () => {
    let calls = 0
    const counting = withTenant(expressUser(), () => {
      calls++
      return 'org'
    })
    expect(await counting(request({}))).toBeNull()
    expect(calls).toBe(0)
  })

  it('may read the request and resolve asynchronously', async () => {
    const fromHeader = withTenant(expressUser(), async (_session, req) =>
      req.headers.get('x-tenant'),
    )
    expect(
      (await fromHeader(request({ user: { id: 'u3' } }, { 'x-tenant': 't-9' })))?.tenantId,
    ).toBe('t-9')
  })
})
