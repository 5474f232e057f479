import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPresenceError } from '../errors.js'
import { bearerJwt } from './bearer-jwt.js'
import { describeSessionAdapter, fetchRequest } from './conformance.js'

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!!'
const OTHER_SECRET = 'another-secret-of-at-least-32-bytes!!!'
const enc = (s: string) => new TextEncoder().encode(s)

function hs256(claims: Record<string, unknown>) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt()
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

describeSessionAdapter('bearerJwt (HS256 secret)', async () => ({
  adapter: bearerJwt({ secret: SECRET, issuer: 'https://auth.test', audience: 'extension' }),
  async signIn(label) {
    const token = await hs256({})
      .setSubject(`user-${label}`)
      .setIssuer('https://auth.test')
      .setAudience('extension')
      .setExpirationTime('5m')
      .sign(enc(SECRET))
    return { userId: `user-${label}`, ...bearer(token) }
  },
  async forged() {
    const good = await hs256({})
      .setSubject('mallory')
      .setIssuer('https://auth.test')
      .setAudience('extension')
      .setExpirationTime('5m')
      .sign(enc(SECRET))
    const [header, , signature] = good.split('.')
    const evilPayload = Buffer.from(
      JSON.stringify({ sub: 'admin', iss: 'https://auth.test', aud: 'extension' }),
    ).toString('base64url')
    return [
      bearer(`${header}.${evilPayload}.${signature}`),
      bearer(
        await hs256({ sub: 'x', iss: 'https://auth.test', aud: 'extension' }).sign(
          enc(OTHER_SECRET),
        ),
      ),
      bearer(new UnsecuredJWT({ sub: 'x', iss: 'https://auth.test', aud: 'extension' }).encode()),
      bearer('not.a.jwt'),
      bearer('garbage'),
      { headers: { cookie: `token=${good}` } },
    ]
  },
}))

describe('bearerJwt: the Bearer path (issue 4 acceptance 1)', () => {
  const adapter = bearerJwt({ secret: SECRET, issuer: 'https://auth.test', audience: 'extension' })
  const valid = () =>
    hs256({}).setSubject('u1').setIssuer('https://auth.test').setAudience('extension')
  const ask = (headers: Record<string, string>) => adapter(fetchRequest({ headers }))

  it('accepts a valid token, keeping its claims', async () => {
    const token = await valid().setExpirationTime('1m').sign(enc(SECRET))
    const session = await ask({ authorization: `Bearer ${token}` })
    expect(session).toMatchObject({ userId: 'u1', claims: { sub: 'u1', aud: 'extension' } })
  })

  it('accepts the scheme in any case, as RFC 7235 says', async () => {
    const token = await valid().sign(enc(SECRET))
    expect((await ask({ authorization: `bearer ${token}` }))?.userId).toBe('u1')
    expect((await ask({ authorization: `BEARER ${token}` }))?.userId).toBe('u1')
  })

  it('rejects an expired token', async () => {
    const token = await valid()
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(enc(SECRET))
    expect(await ask({ authorization: `Bearer ${token}` })).toBeNull()
  })

  it('honours clockToleranceSec for a token that just expired', async () => {
    const token = await valid()
      .setExpirationTime(Math.floor(Date.now() / 1000) - 5)
      .sign(enc(SECRET))
    const tolerant = bearerJwt({ secret: SECRET, clockToleranceSec: 60 })
    expect((await tolerant(fetchRequest(bearer(token))))?.userId).toBe('u1')
  })

  it('rejects a token that is not valid yet (nbf)', async () => {
    const token = await valid().setNotBefore('10m').sign(enc(SECRET))
    expect(await ask({ authorization: `Bearer ${token}` })).toBeNull()
  })

  it('rejects a token signed with another key', async () => {
    const token = await valid().sign(enc(OTHER_SECRET))
    expect(await ask({ authorization: `Bearer ${token}` })).toBeNull()
  })

  it('rejects a wrong issuer or audience', async () => {
    const wrongIss = await hs256({})
      .setSubject('u1')
      .setIssuer('https://evil')
      .setAudience('extension')
      .sign(enc(SECRET))
    const wrongAud = await hs256({})
      .setSubject('u1')
      .setIssuer('https://auth.test')
      .setAudience('web')
      .sign(enc(SECRET))
    const noAud = await hs256({}).setSubject('u1').setIssuer('https://auth.test').sign(enc(SECRET))
    for (const token of [wrongIss, wrongAud, noAud]) {
      expect(await ask({ authorization: `Bearer ${token}` })).toBeNull()
    }
  })

  it('rejects `Bearer` with nothing after it, and other schemes', async () => {
    const token = await valid().sign(enc(SECRET))
    expect(await ask({ authorization: 'Bearer ' })).toBeNull()
    expect(await ask({ authorization: 'Bearer' })).toBeNull()
    expect(await ask({ authorization: 'Bearer    ' })).toBeNull()
    expect(await ask({ authorization: `Basic ${token}` })).toBeNull()
    expect(await ask({ authorization: `Bearer ${token} extra` })).toBeNull()
  })

  it('rejects a request with only a cookie', async () => {
    const token = await valid().sign(enc(SECRET))
    expect(await ask({ cookie: `authorization=Bearer ${token}; session=${token}` })).toBeNull()
  })

  it('rejects a token without a subject unless toSession maps it', async () => {
    const token = await hs256({ uid: 'u9' }).sign(enc(SECRET))
    expect(await bearerJwt({ secret: SECRET })(fetchRequest(bearer(token)))).toBeNull()
    const mapped = bearerJwt({
      secret: SECRET,
      toSession: (claims) =>
        typeof claims.uid === 'string' ? { userId: claims.uid, tenantId: 'org-1' } : null,
    })
    expect(await mapped(fetchRequest(bearer(token)))).toEqual({ userId: 'u9', tenantId: 'org-1' })
  })

  it('refuses an empty secret or a key without algorithms when created', () => {
    expect(() => bearerJwt({ secret: '' })).toThrow(/secret is empty/)
    expect(() => bearerJwt({ key: enc(SECRET), algorithms: [] })).toThrow(/algorithms/)
  })
})

describe('bearerJwt with a JSON Web Key Set', () => {
  let server: Server
  let jwksUrl: string
  let privateKey: CryptoKey
  let publicJwk: Record<string, unknown>
  let otherPrivate: CryptoKey
  let requests = 0

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256')
    privateKey = pair.privateKey
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    otherPrivate = (await generateKeyPair('RS256')).privateKey
    server = createServer((_req, res) => {
      requests++
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ keys: [publicJwk] }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const rs256 = (key: CryptoKey, kid = 'k1') =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('u-rsa')
      .setExpirationTime('1m')
      .sign(key)

  it('verifies tokens against a key set fetched over HTTP', async () => {
    const adapter = bearerJwt({ jwks: jwksUrl })
    expect((await adapter(fetchRequest(bearer(await rs256(privateKey)))))?.userId).toBe('u-rsa')
    expect(requests).toBeGreaterThan(0)
  })

  it('rejects a token signed by a key outside the set', async () => {
    const adapter = bearerJwt({ jwks: { keys: [publicJwk as never] } })
    expect(await adapter(fetchRequest(bearer(await rs256(otherPrivate))))).toBeNull()
    expect(await adapter(fetchRequest(bearer(await rs256(otherPrivate, 'k2'))))).toBeNull()
  })

  it('rejects an HS256 token (algorithm confusion) against an RSA key set', async () => {
    const adapter = bearerJwt({ jwks: { keys: [publicJwk as never] } })
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('admin')
      .sign(enc(JSON.stringify(publicJwk)))
    expect(await adapter(fetchRequest(bearer(token)))).toBeNull()
  })

  it('throws UNAVAILABLE (503), not null, when the key set cannot be fetched', async () => {
    const down = bearerJwt({ jwks: 'http://127.0.0.1:9/jwks.json' })
    const error = await Promise.resolve(down(fetchRequest(bearer(await rs256(privateKey))))).catch(
      (e: unknown) => e,
    )
    expect(isPresenceError(error) && error.code).toBe('UNAVAILABLE')
  })

  it('verifies with one imported public key and an explicit algorithm list', async () => {
    const pair = await generateKeyPair('ES256')
    const adapter = bearerJwt({ key: pair.publicKey, algorithms: ['ES256'] })
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('u-ec')
      .sign(pair.privateKey)
    expect((await adapter(fetchRequest(bearer(token))))?.userId).toBe('u-ec')
    expect(await adapter(fetchRequest(bearer(await rs256(privateKey))))).toBeNull()
  })
})
