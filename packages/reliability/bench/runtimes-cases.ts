/**
 * Signing throughput cases, bundled into every runtime: `signChannel`
 * (presence channel, with `channel_data`) against a raw HMAC-SHA256 of the
 * same string on that runtime's own crypto, for each engine the runtime has.
 * No validation, no JSON in the raw cases: they are the floor.
 * @module
 */
import { createSigner } from '@presence/server'

const key = 'app-key'
const secret = 'app-secret-0123456789abcdef'
const member = { user_id: 'user-42', user_info: { name: 'Ada Lovelace' } }
const socket = (i: number) => `${1000 + (i & 255)}.${i & 4095}`
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

type NodeCrypto = typeof import('node:crypto')

function nodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined
  } catch {
    return undefined
  }
}

/** One case: runs `n` signatures and resolves when done; returns a checksum so nothing is optimized away. */
export type BenchCase = (n: number) => Promise<number>

/** The cases this runtime can run, by name: `raw node:crypto`, `signChannel (node)`, `raw Web Crypto`, `signChannel (web)`. */
export async function benchCases(): Promise<Record<string, BenchCase>> {
  const cases: Record<string, BenchCase> = {}
  const crypto = nodeCrypto()
  if (crypto) {
    const signer = createSigner({ key, secret, crypto: 'node' })
    cases['raw node:crypto'] = async (n) => {
      let sink = 0
      for (let i = 0; i < n; i++) {
        const data = JSON.stringify(member)
        const hex = crypto
          .createHmac('sha256', secret)
          .update(`${socket(i)}:presence-room@${i & 1023}:${data}`)
          .digest('hex')
        sink ^= `${key}:${hex}`.length
      }
      return sink
    }
    cases['signChannel (node)'] = async (n) => {
      let sink = 0
      for (let i = 0; i < n; i++) {
        const auth = signer.signChannel(socket(i), `presence-room@${i & 1023}`, member) as {
          auth: string
        }
        sink ^= auth.auth.length
      }
      return sink
    }
  }
  const subtle = globalThis.crypto.subtle
  const encoder = new TextEncoder()
  const hmacKey = await subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const webSigner = createSigner({ key, secret, crypto: 'web' })
  cases['raw Web Crypto'] = async (n) => {
    let sink = 0
    for (let i = 0; i < n; i++) {
      const data = JSON.stringify(member)
      const mac = new Uint8Array(
        await subtle.sign(
          'HMAC',
          hmacKey,
          encoder.encode(`${socket(i)}:presence-room@${i & 1023}:${data}`),
        ),
      )
      let hex = ''
      for (let b = 0; b < mac.length; b++) hex += HEX[mac[b]!]
      sink ^= `${key}:${hex}`.length
    }
    return sink
  }
  cases['signChannel (web)'] = async (n) => {
    let sink = 0
    for (let i = 0; i < n; i++) {
      const auth = await webSigner.signChannel(socket(i), `presence-room@${i & 1023}`, member)
      sink ^= auth.auth.length
    }
    return sink
  }
  return cases
}
