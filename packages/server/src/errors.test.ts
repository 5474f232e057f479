import { describe, expect, it } from 'vitest'
import {
  defaultDebug,
  deny,
  ERROR_STATUS,
  isErrorCode,
  isPresenceError,
  PresenceError,
  statusOf,
} from './errors.js'

describe('PresenceError', () => {
  it('carries name, code, status from the table, message and cause', () => {
    const cause = new Error('db down')
    const error = new PresenceError('UNAVAILABLE', 'session store failed', { cause })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('PresenceError')
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.status).toBe(503)
    expect(error.message).toBe('session store failed')
    expect(error.cause).toBe(cause)
  })

  it('defaults the message to the code and app codes to 403', () => {
    const error = new PresenceError('SESSION_NOT_FOUND')
    expect(error.message).toBe('SESSION_NOT_FOUND')
    expect(error.status).toBe(403)
  })

  it('maps every documented code to its status', () => {
    expect(statusOf('BAD_REQUEST')).toBe(400)
    expect(statusOf('UNSUPPORTED_MEDIA_TYPE')).toBe(400)
    expect(statusOf('UNAUTHENTICATED')).toBe(401)
    expect(statusOf('CHANNEL_UNKNOWN')).toBe(403)
    expect(statusOf('TIMEOUT')).toBe(403)
    expect(statusOf('TOO_MANY_CHANNELS')).toBe(413)
    expect(statusOf('PAYLOAD_TOO_LARGE')).toBe(413)
    expect(statusOf('UNAVAILABLE')).toBe(503)
    expect(statusOf('INTERNAL')).toBe(500)
    expect(statusOf('toString')).toBe(403)
    for (const code of Object.keys(ERROR_STATUS)) expect(isErrorCode(code)).toBe(true)
  })
})

describe('deny', () => {
  it('builds a 403 PresenceError with an app code', () => {
    const refusal = deny('USER_MISMATCH', 'session belongs to another user')
    expect(isPresenceError(refusal)).toBe(true)
    expect(refusal.code).toBe('USER_MISMATCH')
    expect(refusal.status).toBe(403)
    expect(refusal.message).toBe('session belongs to another user')
  })

  it('keeps the status of library codes', () => {
    expect(deny('UNAUTHENTICATED').status).toBe(401)
  })

  it('rejects codes that are not UPPER_SNAKE with a typed error', () => {
    expect(() => deny('user-mismatch')).toThrowError(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    )
    expect(() => deny('')).toThrow(PresenceError)
  })
})

describe('isPresenceError', () => {
  it('recognizes look-alikes from another bundle copy but not plain errors', () => {
    const copy = Object.assign(new Error('x'), { name: 'PresenceError', code: 'X', status: 403 })
    expect(isPresenceError(copy)).toBe(true)
    expect(isPresenceError(new Error('x'))).toBe(false)
    expect(isPresenceError({ code: 'X', status: 403 })).toBe(false)
  })
})

describe('defaultDebug', () => {
  it('reads NODE_ENV, and answers false where reading the environment throws (Deno without --allow-env)', () => {
    const realEnv = process.env
    try {
      process.env = { ...realEnv, NODE_ENV: 'development' }
      expect(defaultDebug()).toBe(true)
      process.env = { ...realEnv, NODE_ENV: 'production' }
      expect(defaultDebug()).toBe(false)
      process.env = new Proxy({} as NodeJS.ProcessEnv, {
        get() {
          throw new Error('NotCapable: Requires env access to "NODE_ENV"')
        },
      })
      expect(defaultDebug()).toBe(false)
    } finally {
      process.env = realEnv
    }
  })
})
