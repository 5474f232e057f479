import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type SoketiServer, startSoketi } from '@presence/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AuthServer, startAuthServer } from '../test/harness.js'

// An app that visits many distinct channels (a document per channel) must not keep state
// for each of them. The measuring client runs in its own process with --expose-gc, so the
// heap it reads holds nothing of the test runner, soketi or the app server.

const run = promisify(execFile)
const script = fileURLToPath(new URL('../test/eviction-heap.ts', import.meta.url))
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

describe('eviction at scale', () => {
  it('10,000 distinct channels subscribed and released: channel table back to its start, heap within 10 %', {
    timeout: 300_000,
  }, async () => {
    const base = auth.endpoint.replace(/\/auth$/, '')
    const { stdout } = await run(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=source',
        '--import',
        'tsx',
        script,
        soketi.key,
        String(soketi.port),
        base,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), timeout: 280_000, maxBuffer: 1 << 20 },
    )
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')
    console.log(
      `10,000 channels: channel table ${result.startTable} → ${result.tableAfterLastRelease} after the last release → ${result.endTable}; ` +
        `pusher-js channels ${result.pusherChannels}; heap ${(result.startHeap / 2 ** 20).toFixed(2)} MiB → ${(result.endHeap / 2 ** 20).toFixed(2)} MiB (ratio ${result.heapRatio.toFixed(3)})`,
    )
    expect(result.channels).toBe(10_000)
    expect(result.endTable).toBe(result.startTable)
    expect(result.pusherChannels).toBe(0)
    expect(result.heapRatio).toBeLessThanOrEqual(1.1)
  })
})
