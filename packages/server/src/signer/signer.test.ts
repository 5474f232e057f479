import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import Pusher from 'pusher'
import { describe, expect, it } from 'vitest'
import { PresenceError } from '../errors.js'
import { signerFromPusher, toSigner } from './from-pusher.js'
import { createSigner, type Signer } from './signer.js'

const key = 'app-key'
const secret = 'app-secret'
const encryptionMasterKeyBase64 = Buffer.alloc(32, 7).toString('base64')
const pusher = new Pusher({ appId: '1', key, secret, cluster: 'mt1', encryptionMasterKeyBase64 })

const engines = {
  node: createSigner({ key, secret, encryptionMasterKeyBase64, crypto: 'node' }),
  web: createSigner({ key, secret, encryptionMasterKeyBase64, crypto: 'web' }),
}

const socketIdArb = fc
  .tuple(fc.nat({ max: 2 ** 31 }), fc.nat({ max: 2 ** 31 }))
  .map(([a, b]) => `${a}.${b}`)
const nameCharArb = fc.constantFrom(...'ABCXYZabcxyz0189_-=@,.;'.split(''))
const suffixArb = fc.string({ unit: nameCharArb, minLength: 1, maxLength: 150 })
const channelArb = fc
  .tuple(fc.constantFrom('private-', 'presence-', 'private-encrypted-'), suffixArb)
  .map(([prefix, rest]) => prefix + rest)
const userInfoArb = fc.option(
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer())),
  { nil: undefined },
)

describe.each(Object.entries(engines))('createSigner (%s crypto)', (engineName, signer: Signer) => {
  it('reports its engine', () => {
    expect(signer.engine).toBe(engineName)
  })

  it('is byte-identical to pusher.authorizeChannel for random valid inputs', async () => {
    await fc.assert(
      fc.asyncProperty(
        socketIdArb,
        channelArb,
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 128 }),
        userInfoArb,
        async (socketId, channel, userId, userInfo) => {
          const data = channel.startsWith('presence-')
            ? userInfo === undefined
              ? { user_id: userId }
              : { user_id: userId, user_info: userInfo }
            : undefined
          const ours = await signer.signChannel(socketId, channel, data)
          const theirs = pusher.authorizeChannel(
            socketId,
            channel,
            data as Pusher.PresenceChannelData,
          )
          expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('is byte-identical to pusher.authenticateUser', async () => {
    await fc.assert(
      fc.asyncProperty(
        socketIdArb,
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 })),
        async (socketId, id, extra) => {
          const userData = { ...extra, id }
          const ours = await signer.signUser(socketId, userData)
          expect(JSON.stringify(ours)).toBe(
            JSON.stringify(pusher.authenticateUser(socketId, userData)),
          )
        },
      ),
      { numRuns: 200 },
    )
  })

  it('adds shared_secret = base64(sha256(channel + masterKey)) for encrypted channels', async () => {
    const auth = await signer.signChannel('1.2', 'private-encrypted-stream@1')
    expect(auth.shared_secret).toBe(
      Buffer.from(
        (pusher as unknown as { channelSharedSecret(c: string): Buffer }).channelSharedSecret(
          'private-encrypted-stream@1',
        ),
      ).toString('base64'),
    )
  })

  it('verifies webhooks signed with the secret, in Headers or plain records', async () => {
    const body = JSON.stringify({
      time_ms: 1,
      events: [{ name: 'channel_occupied', channel: 'x' }],
    })
    const signature = createHmac('sha256', secret).update(body).digest('hex')
    expect(
      await signer.verifyWebhook(
        new Headers({ 'X-Pusher-Key': key, 'X-Pusher-Signature': signature }),
        body,
      ),
    ).toBe(true)
    expect(
      await signer.verifyWebhook({ 'x-pusher-key': key, 'x-pusher-signature': signature }, body),
    ).toBe(true)
    expect(
      await signer.verifyWebhook(
        { 'x-pusher-key': key, 'x-pusher-signature': signature },
        `${body} `,
      ),
    ).toBe(false)
    expect(
      await signer.verifyWebhook(
        { 'x-pusher-key': 'other', 'x-pusher-signature': signature },
        body,
      ),
    ).toBe(false)
    expect(
      await signer.verifyWebhook(
        { 'x-pusher-key': key, 'x-pusher-signature': signature.slice(1) },
        body,
      ),
    ).toBe(false)
    expect(await signer.verifyWebhook({ 'x-pusher-key': key }, body)).toBe(false)
  })

  it('rejects bad socket ids and names with BAD_REQUEST, like pusher', () => {
    for (const [socketId, channel] of [
      ['', 'private-a'],
      ['1.2.3', 'private-a'],
      ['abc', 'private-a'],
      ['1.2', 'private-a b'],
      ['1.2', `private-${'x'.repeat(200)}`],
    ] as const) {
      expect(() => signer.signChannel(socketId, channel)).toThrowError(
        expect.objectContaining({ code: 'BAD_REQUEST' }),
      )
      expect(() => pusher.authorizeChannel(socketId, channel)).toThrow()
    }
  })

  it('checks presence limits before signing, naming the limit', () => {
    const sign = (data: unknown) => () =>
      signer.signChannel('1.2', 'presence-room', data as { user_id: string })
    expect(sign({ user_id: '' })).toThrowError(/non-empty string/)
    expect(sign({ user_id: 42 })).toThrowError(/String\(id\)/)
    expect(sign({ user_id: 'u'.repeat(129) })).toThrowError(/129 characters; the limit is 128/)
    expect(sign({ user_id: 'u'.repeat(128) })).not.toThrow()
    expect(sign({ user_id: 'u', user_info: { bio: 'é'.repeat(1100) } })).toThrowError(
      /bytes; the limit \(maxChannelDataBytes\) is 2048/,
    )
    expect(sign({ user_id: 'u', user_info: { bio: 'x'.repeat(1900) } })).not.toThrow()
    expect(sign({ user_id: 'u'.repeat(129) })).toThrowError(
      expect.objectContaining({ code: 'USER_DATA_INVALID' }),
    )
  })

  it('refuses to sign an encrypted channel without a master key', () => {
    const plain = createSigner({ key, secret, crypto: engineName as 'node' | 'web' })
    expect(() => plain.signChannel('1.2', 'private-encrypted-x')).toThrowError(
      /encryptionMasterKeyBase64/,
    )
  })
})

describe('createSigner options', () => {
  it('returns plain values (no promise) on the node path and promises on the web path', () => {
    expect(engines.node.signChannel('1.2', 'private-a')).not.toBeInstanceOf(Promise)
    expect(engines.web.signChannel('1.2', 'private-a')).toBeInstanceOf(Promise)
  })

  it('accepts an injected engine factory', async () => {
    const signer = createSigner({
      key,
      secret,
      crypto: (s) => ({
        kind: 'custom',
        hmacHex: (data) => createHmac('sha256', s).update(data).digest('hex'),
        sha256Base64: () => 'x',
      }),
    })
    expect(signer.engine).toBe('custom')
    expect(await signer.signChannel('1.2', 'private-a')).toEqual(
      pusher.authorizeChannel('1.2', 'private-a'),
    )
  })

  it('honours maxChannelDataBytes', () => {
    const small = createSigner({ key, secret, maxChannelDataBytes: 20 })
    expect(() => small.signChannel('1.2', 'presence-a', { user_id: 'abcdefghijklmnop' })).toThrow(
      /limit \(maxChannelDataBytes\) is 20/,
    )
  })

  it('rejects missing credentials and bad master keys at creation', () => {
    expect(() => createSigner({ key: '', secret })).toThrow(PresenceError)
    expect(() =>
      createSigner({ key, secret, encryptionMasterKeyBase64: Buffer.alloc(16).toString('base64') }),
    ).toThrowError(/16 bytes; it must be 32/)
    expect(() => createSigner({ key, secret, encryptionMasterKeyBase64: '!!!' })).toThrowError(
      /not valid base64/,
    )
  })
})

describe('a pusher instance as signer', () => {
  it('signs like the instance, shared secret included', async () => {
    const signer = toSigner(pusher as never)
    expect(signer.key).toBe(key)
    const data = { user_id: 'u1', user_info: { name: 'Ada' } }
    expect(JSON.stringify(await signer.signChannel('1.2', 'presence-a', data))).toBe(
      JSON.stringify(pusher.authorizeChannel('1.2', 'presence-a', data)),
    )
    expect(await signer.signChannel('1.2', 'private-encrypted-a')).toEqual(
      pusher.authorizeChannel('1.2', 'private-encrypted-a'),
    )
  })

  it('passes signers through and rejects other values', () => {
    expect(toSigner(engines.node)).toBe(engines.node)
    expect(() => toSigner({} as never)).toThrowError(/createSigner/)
    expect(() => signerFromPusher({} as never)).toThrowError(/pusher instance/)
  })
})
