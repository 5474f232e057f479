import { describe, expect, it } from 'vitest'
import { PresenceError } from '../errors.js'
import { channelNameProblem, parseChannel } from './name.js'

describe('parseChannel', () => {
  it.each([
    ['private-stream@42', 'private', 'stream', '42'],
    ['private-encrypted-stream@42', 'private-encrypted', 'stream', '42'],
    ['presence-chat-room@5', 'presence', 'chat-room', '5'],
    ['private-session-8f2c-11aa', 'private', 'session', '8f2c-11aa'],
    ['presence-messenger', 'presence', 'messenger', null],
    ['private-stream-viewer@7', 'private', 'stream-viewer', '7'],
    ['private-user@a@b', 'private', 'user', 'a@b'],
    ['my-channel', 'public', 'my', 'channel'],
    ['news', 'public', 'news', null],
    ['private-', 'private', '', null],
  ])('%s → %s / %s / %s', (name, type, feature, objectId) => {
    expect(parseChannel(name)).toEqual({
      name,
      type,
      feature,
      objectId,
      encrypted: type === 'private-encrypted',
    })
  })

  it.each([
    ['', 'non-empty'],
    ['private-a b', "Pusher's set"],
    ['private-ü', "Pusher's set"],
    ['presence-#x', "Pusher's set"],
    [`private-${'a'.repeat(193)}`, 'at most 200'],
  ])('rejects %j with BAD_REQUEST naming the rule', (name, rule) => {
    let caught: unknown
    try {
      parseChannel(name)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(PresenceError)
    expect(caught).toMatchObject({ code: 'BAD_REQUEST', status: 400 })
    expect((caught as Error).message).toContain(rule)
  })

  it('accepts exactly 200 characters and every allowed character', () => {
    expect(parseChannel(`private-${'a'.repeat(192)}`).name).toHaveLength(200)
    expect(parseChannel('private-AZaz09_-=@,.;').objectId).toBe(',.;')
    expect(channelNameProblem(42)).toContain('non-empty string')
  })
})

describe('validators agree with the reference regexes (fast-check)', () => {
  it("channelNameProblem matches Pusher's /[^A-Za-z0-9_\\-=@,.;]/ rule", async () => {
    const { default: fc } = await import('fast-check')
    const { socketIdProblem } = await import('../signer/limits.js')
    const chars = fc.constantFrom(...'aZ09_-=@,.;:# é\u0000'.split(''))
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 210 }), (name) => {
        const reference = name !== '' && name.length <= 200 && !/[^A-Za-z0-9_\-=@,.;]/.test(name)
        expect(channelNameProblem(name) === null).toBe(reference)
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789.a -'.split('')), maxLength: 12 }),
        (id) => {
          expect(socketIdProblem(id) === null).toBe(/^\d+\.\d+$/.test(id))
        },
      ),
      { numRuns: 2000 },
    )
  })
})
