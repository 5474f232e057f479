import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type SoketiServer, startSoketi } from '@presence/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AuthServer, startAuthServer } from '../test/harness.js'

// Issue 5: the client must work with pusher-js's worker build (extension service
// workers): fetch only, no XHR, no window. The script runs in its own Node process
// where window, document and XMLHttpRequest do not exist.

const run = promisify(execFile)
const script = fileURLToPath(new URL('../test/worker-client.ts', import.meta.url))
let soketi: SoketiServer
let auth: AuthServer

beforeAll(async () => {
  soketi = await startSoketi()
  auth = await startAuthServer(soketi)
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

describe('@presence/client/core with pusher-js/worker', () => {
  it('authorizes in one batch and fills the member store without window or XHR', async () => {
    const base = auth.endpoint.replace(/\/auth$/, '')
    const { stdout } = await run(
      process.execPath,
      [
        '--experimental-websocket',
        '--no-warnings',
        '--import',
        'tsx',
        script,
        soketi.key,
        String(soketi.port),
        base,
        'w1',
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 30_000 },
    )
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
    expect(result).toEqual({
      statuses: ['subscribed', 'subscribed', 'subscribed'],
      members: ['w1'],
      me: { id: 'w1', info: { name: 'w1' }, state: {} },
      requests: [['presence-worker', 'private-worker-1', 'private-worker-2']],
    })
  })
})
