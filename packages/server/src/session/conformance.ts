import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PresenceRequest, Session, SessionAdapter } from './types.js'

/** Credentials of a signed-in user, as a real sign-in produced them. */
export interface SignedIn {
  /** The user id the adapter must report. */
  userId: string
  /** Request headers that carry the credentials (cookie, Authorization). */
  headers: Record<string, string>
  /** The framework request (`request.raw`), for adapters that read it. */
  raw?: unknown
}

/** What one adapter's test file provides to {@link describeSessionAdapter}. */
export interface SessionAdapterSetup {
  adapter: SessionAdapter
  /** Signs a new user in through the real library; `label` makes the user unique. */
  signIn(label: string): Promise<SignedIn>
  /** Credentials the library must refuse: forged, tampered, garbage. Each becomes "no session". */
  forged(): Promise<Array<Pick<SignedIn, 'headers' | 'raw'>>>
  teardown?(): Promise<void>
}

const URL_BASE = 'http://localhost:3000/api/pusher/auth'

/** A real Fetch `Request` carrying the credentials (and a body that must stay unread). */
export function fetchRequest(creds: Pick<SignedIn, 'headers' | 'raw'>): PresenceRequest {
  const request = new Request(URL_BASE, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...creds.headers },
    body: 'socket_id=1.2&channel_name=private-a',
  })
  if (creds.raw === undefined) return request
  return { method: request.method, url: request.url, headers: request.headers, raw: creds.raw }
}

/** The lighter request object the Node/Express adapters hand over: `headers.get` only. */
export function lightRequest(creds: Pick<SignedIn, 'headers' | 'raw'>): PresenceRequest {
  const map = new Map(Object.entries(creds.headers).map(([k, v]) => [k.toLowerCase(), v]))
  return {
    method: 'POST',
    url: URL_BASE,
    headers: { get: (name: string) => map.get(name.toLowerCase()) ?? null },
    ...(creds.raw === undefined ? {} : { raw: creds.raw }),
  }
}

/**
 * The one conformance suite every session adapter passes (STYLE.md §7): a
 * real sign-in is recognised, on a Fetch `Request` and on the lighter object
 * the framework adapters pass; anonymous and forged credentials are `null`,
 * never an exception; the body is left unread; concurrent callers never see
 * each other's session.
 *
 * @param name - the adapter's name in the test report.
 * @param setup - builds the adapter and the real library behind it.
 */
export function describeSessionAdapter(name: string, setup: () => Promise<SessionAdapterSetup>) {
  describe(`session adapter conformance: ${name}`, () => {
    let ctx: SessionAdapterSetup
    beforeAll(async () => {
      ctx = await setup()
    })
    afterAll(async () => {
      await ctx?.teardown?.()
    })

    it('recognises a signed-in user from a Fetch Request, and leaves the body unread', async () => {
      const alice = await ctx.signIn('alice')
      const request = fetchRequest(alice)
      const session = (await ctx.adapter(request)) as Session
      expect(session).not.toBeNull()
      expect(session.userId).toBe(alice.userId)
      expect(typeof session.userId).toBe('string')
      if (request instanceof Request) expect(request.bodyUsed).toBe(false)
    })

    it('recognises a signed-in user from the lighter request object (headers.get only)', async () => {
      const bob = await ctx.signIn('bob')
      const session = await ctx.adapter(lightRequest(bob))
      expect(session?.userId).toBe(bob.userId)
    })

    it('answers null (not an error) without credentials', async () => {
      await expect(Promise.resolve(ctx.adapter(fetchRequest({ headers: {} })))).resolves.toBeNull()
      await expect(Promise.resolve(ctx.adapter(lightRequest({ headers: {} })))).resolves.toBeNull()
    })

    it('answers null (not an error) for forged or tampered credentials', async () => {
      const forged = await ctx.forged()
      expect(forged.length).toBeGreaterThan(0)
      for (const creds of forged) {
        await expect(Promise.resolve(ctx.adapter(fetchRequest(creds)))).resolves.toBeNull()
      }
    })

    it('keeps concurrent callers apart', async () => {
      const users = await Promise.all(['carol', 'dave', 'erin', 'frank'].map((l) => ctx.signIn(l)))
      const sessions = await Promise.all(
        [...users, ...users].map((u) => Promise.resolve(ctx.adapter(fetchRequest(u)))),
      )
      expect(sessions.map((s) => s?.userId)).toEqual([...users, ...users].map((u) => u.userId))
      expect(new Set(users.map((u) => u.userId)).size).toBe(users.length)
    })
  })
}
