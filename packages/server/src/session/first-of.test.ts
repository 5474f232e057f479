import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { PresenceError } from '../errors.js'
import { bearerJwt } from './bearer-jwt.js'
import { expressUser } from './express-user.js'
import { firstOf } from './first-of.js'
import type { PresenceRequest, SessionAdapter } from './types.js'

const SECRET = 'first-of-secret-at-least-32-bytes-long!'
const token = (sub: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .sign(new TextEncoder().encode(SECRET))
const request = (headers: Record<string, string>, raw?: unknown): PresenceRequest => ({
  method: 'POST',
  url: 'http://localhost/auth',
  headers: new Headers(headers),
  raw,
})

describe('firstOf', () => {
  const chain = firstOf(bearerJwt({ secret: SECRET }), expressUser())

  it('takes the first adapter that finds a session', async () => {
    const bearer = `Bearer ${await token('from-bearer')}`
    expect(
      (await chain(request({ authorization: bearer }, { user: { id: 'from-req' } })))?.userId,
    ).toBe('from-bearer')
    expect((await chain(request({}, { user: { id: 'from-req' } })))?.userId).toBe('from-req')
    expect(
      (await chain(request({ authorization: 'Bearer ' }, { user: { id: 'from-req' } })))?.userId,
    ).toBe('from-req')
  })

  it('is null when none finds one, and with no adapters at all', async () => {
    expect(await chain(request({ authorization: 'Bearer nope' }))).toBeNull()
    expect(await firstOf()(request({}))).toBeNull()
  })

  it('stops at an adapter whose backend fails instead of falling back to another identity', async () => {
    let reachedFallback = false
    const failing: SessionAdapter = () => {
      throw new PresenceError('UNAVAILABLE', 'database down')
    }
    const fallback: SessionAdapter = () => {
      reachedFallback = true
      return { userId: 'someone-else' }
    }
    await expect(firstOf(failing, fallback)(request({}))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    expect(reachedFallback).toBe(false)
  })
})
