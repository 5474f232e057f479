/**
 * Shared test fixtures for the server's unit tests (not exported by the package).
 * @internal
 * @module
 */
import Pusher from 'pusher'
import type { CacheAdapter } from './cache/types.js'
import type { Session } from './session/types.js'
import { createSigner } from './signer/signer.js'

export const KEY = 'app-key'
export const SECRET = 'app-secret'
export const MASTER_KEY = Buffer.alloc(32, 3).toString('base64')
export const signer = createSigner({
  key: KEY,
  secret: SECRET,
  encryptionMasterKeyBase64: MASTER_KEY,
})
export const pusher = new Pusher({
  appId: '1',
  key: KEY,
  secret: SECRET,
  cluster: 'mt1',
  encryptionMasterKeyBase64: MASTER_KEY,
})

/** A session adapter reading `Authorization: Bearer <userId>[:<tenantId>]`, counting calls. */
export function bearerSessions() {
  const adapter = Object.assign(
    (request: { headers: { get(name: string): string | null } }): Session | null => {
      adapter.calls++
      const header = request.headers.get('authorization')
      if (!header?.startsWith('Bearer ')) return null
      const [userId, tenantId] = header.slice(7).split(':')
      return tenantId ? { userId: userId!, tenantId } : { userId: userId! }
    },
    { calls: 0 },
  )
  return adapter
}

/** A real (if small) in-memory cache with TTL, honouring the CacheAdapter contract. */
export function mapCache(): CacheAdapter & {
  store: Map<string, { value: string; expires: number }>
} {
  const store = new Map<string, { value: string; expires: number }>()
  return {
    store,
    get: async (key) => {
      const found = store.get(key)
      if (!found || found.expires < Date.now()) return null
      return found.value
    },
    set: async (key, value, ttlMs) => {
      store.set(key, { value, expires: Date.now() + ttlMs })
    },
    delete: async (key) => {
      store.delete(key)
    },
  }
}

/** Builds a POST request. */
export function post(
  url: string,
  body: string | Record<string, unknown>,
  headers: Record<string, string> = {},
): Request {
  const isForm = typeof body === 'string'
  return new Request(`http://app.test${url}`, {
    method: 'POST',
    headers: isForm
      ? { 'content-type': 'application/x-www-form-urlencoded', ...headers }
      : { 'content-type': 'application/json', ...headers },
    body: isForm ? body : JSON.stringify(body),
  })
}

/** A form body. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

export const ALICE = { authorization: 'Bearer alice:acme' }
export const BOB = { authorization: 'Bearer bob:acme' }
