/**
 * The expected values of the conformance suite, computed on Node with the
 * `pusher` SDK and jose, and handed to every runtime as one JSON value (the
 * runtimes under test never run `pusher`: it needs Node).
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import Pusher from 'pusher'

/** Everything a runtime needs to run the cases; plain JSON. */
export interface Fixture {
  key: string
  secret: string
  masterKeyBase64: string
  socketId: string
  member: { user_id: string; user_info: { name: string } }
  userData: { id: string; name: string }
  /** `JSON.stringify` of the `pusher` SDK's answers: compared byte for byte. */
  expected: {
    private: string
    presence: string
    encrypted: string
    encryptedPresence: string
    user: string
  }
  /** A webhook delivery signed like a Pusher-protocol server signs it. */
  webhook: { body: string; signature: string }
  jwt: {
    /** HS256 secret and tokens signed with it on Node. */
    secret: string
    hs256: string
    hs256Expired: string
    hs256OtherSecret: string
    /** The JWKS served on loopback by the runner, an RS256 token and one signed by a key not in the set. */
    jwksUrl: string
    rs256: string
    rs256Foreign: string
    /** A loopback URL that refuses connections (a key set that cannot be fetched). */
    unreachableJwksUrl: string
  }
  /** What this runtime is expected to offer (the runtime × feature table). */
  runtime: { name: string; nodeCrypto: boolean }
  /** A real redis-server for the `redisCache` case, on runtimes with a TCP client; else `null`. */
  redisUrl: string | null
}

/** Key material for the JWKS the runner serves. */
export interface JwksMaterial {
  jwks: { keys: object[] }
  rs256: string
  rs256Foreign: string
}

const KEY = 'conformance-key'
const SECRET = 'conformance-secret-0123456789'
const JWT_SECRET = 'conformance-jwt-secret-at-least-32-bytes!'

/** Builds the RS256 key set and its tokens (once per run). */
export async function createJwksMaterial(): Promise<JwksMaterial> {
  const trusted = await generateKeyPair('RS256', { extractable: true })
  const foreign = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(trusted.publicKey)), kid: 'conformance-1', alg: 'RS256' }
  const sign = (key: CryptoKey) =>
    new SignJWT({ name: 'Ada' })
      .setProtectedHeader({ alg: 'RS256', kid: 'conformance-1' })
      .setSubject('jwks-user')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key)
  return {
    jwks: { keys: [jwk] },
    rs256: await sign(trusted.privateKey),
    rs256Foreign: await sign(foreign.privateKey),
  }
}

/**
 * Computes the fixture for one runtime.
 * @param runtime - the runtime's name and whether it offers `node:crypto`.
 * @param urls - the loopback JWKS URL, an unreachable one, and a redis-server's URL (or none).
 * @param material - the RS256 key set and tokens.
 */
export async function createFixture(
  runtime: Fixture['runtime'],
  urls: { jwksUrl: string; unreachableJwksUrl: string; redisUrl?: string | null },
  material: JwksMaterial,
): Promise<Fixture> {
  const masterKeyBase64 = randomBytes(32).toString('base64')
  const pusher = new Pusher({
    appId: '1',
    key: KEY,
    secret: SECRET,
    cluster: 'mt1',
    encryptionMasterKeyBase64: masterKeyBase64,
  })
  const socketId = '1234.5678'
  const member = { user_id: 'alice', user_info: { name: 'Alice Ünïcødé ✓' } }
  const userData = { id: 'alice', name: 'Alice' }
  const webhookBody = JSON.stringify({
    // Now: handlers refuse deliveries dated more than 5 minutes away (replays).
    time_ms: Date.now(),
    events: [{ name: 'member_added', channel: 'presence-room', user_id: 'alice' }],
  })
  const hs256 = (secret: string, expiresAt: number) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('hs-user')
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode(secret))
  const inOneHour = Math.floor(Date.now() / 1000) + 3600
  return {
    key: KEY,
    secret: SECRET,
    masterKeyBase64,
    socketId,
    member,
    userData,
    expected: {
      private: JSON.stringify(pusher.authorizeChannel(socketId, 'private-stream@42')),
      presence: JSON.stringify(pusher.authorizeChannel(socketId, 'presence-room', member)),
      encrypted: JSON.stringify(pusher.authorizeChannel(socketId, 'private-encrypted-stream@42')),
      encryptedPresence: JSON.stringify(
        pusher.authorizeChannel(socketId, 'private-encrypted-room', member),
      ),
      user: JSON.stringify(pusher.authenticateUser(socketId, userData)),
    },
    webhook: {
      body: webhookBody,
      signature: createHmac('sha256', SECRET).update(webhookBody).digest('hex'),
    },
    jwt: {
      secret: JWT_SECRET,
      hs256: await hs256(JWT_SECRET, inOneHour),
      hs256Expired: await hs256(JWT_SECRET, Math.floor(Date.now() / 1000) - 600),
      hs256OtherSecret: await hs256(`${JWT_SECRET}-other`, inOneHour),
      jwksUrl: urls.jwksUrl,
      rs256: material.rs256,
      rs256Foreign: material.rs256Foreign,
      unreachableJwksUrl: urls.unreachableJwksUrl,
    },
    runtime,
    redisUrl: urls.redisUrl ?? null,
  }
}
