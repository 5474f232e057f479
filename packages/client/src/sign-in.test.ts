import { describe, expect, it } from 'vitest'
import { userAuthUrlOf } from './sign-in.js'

describe('userAuthUrlOf: where the connection signs in', () => {
  it('is the user-auth path of the mount that auth.endpoint names, query kept', () => {
    expect(userAuthUrlOf({ endpoint: '/api/pusher' })).toBe('/api/pusher/user-auth')
    expect(userAuthUrlOf({ endpoint: '/api/pusher/' })).toBe('/api/pusher/user-auth')
    expect(userAuthUrlOf({ endpoint: 'https://app.test/pusher?tenant=a' })).toBe(
      'https://app.test/pusher/user-auth?tenant=a',
    )
    expect(userAuthUrlOf({ endpoint: '/api/pusher', batchEndpoint: '/api/pusher/batch' })).toBe(
      '/api/pusher/user-auth',
    )
  })

  it('is none for a single-channel …/auth endpoint, or with batching turned off', () => {
    expect(userAuthUrlOf({ endpoint: '/api/pusher/auth' })).toBeUndefined()
    expect(userAuthUrlOf({ endpoint: '/broadcasting/auth?x=1' })).toBeUndefined()
    expect(userAuthUrlOf({ endpoint: '/channel-auth', batchEndpoint: false })).toBeUndefined()
  })

  it('follows auth.userAuthEndpoint: a URL, or false for none; anything else is INVALID_OPTIONS', () => {
    expect(userAuthUrlOf({ endpoint: '/pusher/auth', userAuthEndpoint: '/pusher/user-auth' })).toBe(
      '/pusher/user-auth',
    )
    expect(userAuthUrlOf({ endpoint: '/api/pusher', userAuthEndpoint: false })).toBeUndefined()
    for (const bad of ['', 42, true]) {
      expect(() =>
        userAuthUrlOf({ endpoint: '/api/pusher', userAuthEndpoint: bad as never }),
      ).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', field: 'auth.userAuthEndpoint' }),
      )
    }
  })
})
