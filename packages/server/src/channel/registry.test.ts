import { describe, expect, it } from 'vitest'
import { parseChannel } from './name.js'
import { createRegistry } from './registry.js'

const allow = () => true

describe('createRegistry', () => {
  const registry = createRegistry({
    'presence-messenger': allow,
    'private-stream@{streamId}': { authorize: allow, priority: 'high' },
    'private-stream@main': allow,
    'private-encrypted-stream@{streamId}': { authorize: allow, timeoutMs: 300 },
    'private-session-{sessionId}': {
      authorize: allow,
      user: 'optional',
      cache: { ttlMs: 1000, scope: 'user' },
    },
    'presence-{kind}@{id}': allow,
  })
  const lookup = (name: string) => registry.lookup(parseChannel(name))

  it('finds definitions by type, feature and pattern, with params', () => {
    expect(lookup('private-stream@42')).toMatchObject({
      definition: { pattern: { source: 'private-stream@{streamId}' } },
      params: { streamId: '42' },
    })
    expect(lookup('private-session-8f2c-11aa')?.params).toEqual({ sessionId: '8f2c-11aa' })
    expect(lookup('presence-chat@9')?.params).toEqual({ kind: 'chat', id: '9' })
  })

  it('prefers a literal pattern over a parameterised one', () => {
    expect(lookup('private-stream@main')?.definition.pattern.source).toBe('private-stream@main')
  })

  it('keeps private and private-encrypted apart', () => {
    expect(lookup('private-encrypted-stream@1')?.definition.pattern.source).toBe(
      'private-encrypted-stream@{streamId}',
    )
    expect(lookup('private-encrypted-session-1')).toBeNull()
  })

  it('fails closed for names without a definition', () => {
    expect(lookup('private-goal@1')).toBeNull()
    expect(lookup('presence-messenger2')).toBeNull()
    expect(lookup('public-news')).toBeNull()
  })

  it('applies time limit defaults: 4000 for presence and high priority, 2000 otherwise', () => {
    expect(lookup('presence-messenger')?.definition.timeoutMs).toBe(4000)
    expect(lookup('private-stream@1')?.definition.timeoutMs).toBe(4000)
    expect(lookup('private-stream@main')?.definition.timeoutMs).toBe(2000)
    expect(lookup('private-encrypted-stream@1')?.definition.timeoutMs).toBe(300)
    expect(lookup('private-session-1')?.definition).toMatchObject({
      user: 'optional',
      cachePolicy: { ttlMs: 1000, scope: 'user' },
    })
    expect(lookup('presence-messenger')?.definition.user).toBe('required')
  })

  it('rejects overlapping and malformed definitions at creation, naming them', () => {
    expect(() =>
      createRegistry({ 'private-stream@{id}': allow, 'private-stream@{streamId}': allow }),
    ).toThrowError(/"private-stream@\{id\}" and "private-stream@\{streamId\}" overlap/)
    expect(() =>
      createRegistry({ 'private-{f}@{id}': allow, 'private-goal@{id}': allow }),
    ).toThrowError(/overlap/)
    expect(() => createRegistry({ 'private-a': {} as never })).toThrowError(/authorize function/)
    expect(() => createRegistry({ 'private-a': { authorize: allow, timeoutMs: -1 } })).toThrowError(
      /timeoutMs must be a positive/,
    )
    expect(() =>
      createRegistry({ 'private-a': { authorize: allow, cache: { ttlMs: 0, scope: 'user' } } }),
    ).toThrowError(/cache.ttlMs/)
    expect(() =>
      createRegistry({ 'private-a': { authorize: allow, cache: { ttlMs: 1000 } as never } }),
    ).toThrowError(/cache.scope is required/)
    expect(() =>
      createRegistry({
        'private-a': { authorize: allow, cache: { ttlMs: 1000, scope: 'client' as never } },
      }),
    ).toThrowError(/cache.scope is required/)
    expect(() =>
      createRegistry({
        'presence-a': {
          authorize: (() => ({ user_id: 'u' })) as never,
          cache: { ttlMs: 1000, scope: 'channel' },
        },
      }),
    ).toThrowError(/scope 'user'/)
    expect(() =>
      createRegistry({ 'private-a': { authorize: allow, user: 'maybe' as never } }),
    ).toThrowError(/'required' or 'optional'/)
    expect(() => createRegistry({ news: allow })).toThrowError(
      /public channels need no authorization/,
    )
  })
})
