import { build } from 'esbuild'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fail, PresenceClientError } from './errors.js'

describe('fail', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('explains the error in development', () => {
    vi.stubEnv('NODE_ENV', 'development')
    const e = fail('INVALID_AUTH_RESPONSE', {
      status: 200,
      channel: 'presence-a',
      field: 'channel_data',
    })
    expect(e).toBeInstanceOf(PresenceClientError)
    expect(e).toMatchObject({ code: 'INVALID_AUTH_RESPONSE', status: 200, channel: 'presence-a' })
    expect(e.message).toBe(
      'auth response for presence-a (200) lacks "channel_data": return the signed payload',
    )
    expect(fail('NETWORK_ERROR', { url: '/auth', cause: 'offline' }).message).toBe(
      '/auth unreachable: offline',
    )
  })

  it('keeps the code and the missing field in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const e = fail('INVALID_AUTH_RESPONSE', {
      status: 200,
      channel: 'presence-a',
      field: 'channel_data',
    })
    expect(e.message).toBe('INVALID_AUTH_RESPONSE "channel_data"')
    expect(e).toMatchObject({ field: 'channel_data', status: 200, channel: 'presence-a' })
    expect(fail('HTTP_ERROR', { status: 502, url: '/auth' }).message).toBe('HTTP_ERROR')
    expect(fail('HTTP_ERROR', { status: 502, url: '/auth' })).toMatchObject({
      name: 'PresenceClientError',
      url: '/auth',
      status: 502,
    })
    expect(fail('NETWORK_ERROR', { url: '/auth' }).status).toBe(0)
  })

  it("keeps the server's message and the cause", () => {
    vi.stubEnv('NODE_ENV', 'production')
    const cause = new TypeError('offline')
    expect(fail('SESSION_NOT_FOUND', { status: 403 }, 'no session 8f2c').message).toBe(
      'no session 8f2c',
    )
    expect(fail('NETWORK_ERROR', { cause }).cause).toBe(cause)
    expect('cause' in fail('HTTP_ERROR', { status: 500 })).toBe(false)
  })

  it('drops the prose from a production bundle', async () => {
    const bundle = async (define: Record<string, string>) => {
      const out = await build({
        entryPoints: [new URL('./errors.ts', import.meta.url).pathname],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        write: false,
        define,
      })
      return out.outputFiles[0]?.text ?? ''
    }
    expect(await bundle({})).toContain('return the signed payload')
    const production = await bundle({ 'process.env.NODE_ENV': '"production"' })
    expect(production).not.toContain('return the signed payload')
    expect(production).not.toContain('unreachable')
  })
})
