import { describe, expect, it } from 'vitest'
import { getFreePort } from './ports.js'
import { startServer } from './server.js'

/** A Node server on `PORT` that answers 200 after `DELAY_MS`, printing a line first. */
const SERVER = `
console.log('starting')
setTimeout(() => {
  require('node:http')
    .createServer((_, res) => res.end('ok'))
    .listen(Number(process.env.PORT), '127.0.0.1')
}, Number(process.env.DELAY_MS))
`
/** A start that refuses: a message, exit code 3. */
const REFUSES = `console.error('cannot start: SECRET is missing'); process.exit(3)`

const answers = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}`)).ok

describe('startServer', () => {
  it('resolves once the server listens, leaving it running', async () => {
    const port = await getFreePort()
    const app = await startServer(process.execPath, ['-e', SERVER], {
      env: { PORT: String(port), DELAY_MS: '300' },
      ready: answers(port),
      what: 'the test server',
      intervalMs: 50,
    })
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}`)).text()).toBe('ok')
      expect(app.child.exitCode).toBeNull()
    } finally {
      await app.stop()
    }
  })

  it('rejects with the exit code and the output when the start exits before listening', async () => {
    const port = await getFreePort()
    await expect(
      startServer(process.execPath, ['-e', REFUSES], { ready: answers(port), what: 'the app' }),
    ).rejects.toThrow(/the app exited \(code 3\) before it listened:\ncannot start: SECRET/)
  })

  it('without ready, resolves once a refused start exits, with its code and output', async () => {
    const app = await startServer(process.execPath, ['-e', REFUSES], { what: 'the app' })
    expect(await app.exited).toBe(3)
    expect(app.output()).toContain('cannot start: SECRET is missing')
  })

  it('stops a server that does not listen in time, and says so with its output', async () => {
    const port = await getFreePort()
    const started = startServer(process.execPath, ['-e', SERVER], {
      env: { PORT: String(port), DELAY_MS: '60000' },
      ready: answers(port),
      what: 'the slow server',
      timeoutMs: 500,
    })
    await expect(started).rejects.toThrow(/the slow server did not listen after 500 ms:\nstarting/)
  })

  it('without ready, stops a start that keeps running instead of refusing', async () => {
    const port = await getFreePort()
    await expect(
      startServer(process.execPath, ['-e', SERVER], {
        env: { PORT: String(port), DELAY_MS: '0' },
        what: 'the app without its secrets',
        timeoutMs: 1_000,
      }),
    ).rejects.toThrow(/the app without its secrets was still running \(it should have exited\)/)
    // Stopped: nothing answers on its port any more.
    await expect(fetch(`http://127.0.0.1:${port}`)).rejects.toThrow()
  })
})
