/**
 * Every feature of the batch authentication service, one row per feature ×
 * channel type (`src/testing/feature-table.ts`, written out by hand): the
 * allowed caller gets a signature with the exact `user_info` or retained event
 * names, the refused caller gets the exact code. Over real HTTP against the
 * app, with a real redis-server behind it.
 */
import { type RedisServer, startRedis } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type PresenceApp } from './app.js'
import { seedChannels } from './features/index.js'
import {
  type Caller,
  FEATURE_TABLE,
  type FeatureRow,
  headersOf,
  PRESENCE_RECEIVERS,
  PRIVATE_FEATURES,
} from './testing/feature-table.js'

const credentials = { appId: 'app-id', key: 'app-key', secret: 'app-secret' }
const sdk = new Pusher({ ...credentials, host: '127.0.0.1', useTLS: false })
const socketId = '1234.5678'

type Entry = {
  auth?: string
  channel_data?: string
  events?: Array<{ event: string; data: unknown }>
  error?: { code: string; status: number; message?: string }
}

let redis: RedisServer
let app: PresenceApp
let url: string

beforeAll(async () => {
  redis = await startRedis()
  app = createApp({
    pusher: credentials,
    redis: redis.url,
    demo: true,
    defaultMetrics: false,
    debug: false,
  })
  ;({ url } = await app.listen())
})

afterAll(async () => {
  await app?.close()
  await redis?.stop()
})

async function ask(channel: string, caller: Caller): Promise<Entry> {
  const query = new URLSearchParams({ socket_id: socketId, channels: channel })
  const res = await fetch(`${url}/pusher/batch-authenticate?${query}`, {
    headers: headersOf(caller),
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, Entry>
  return body[channel]!
}

describe('the feature table', () => {
  it('has one row per private feature and per presence receiver, and one per definition', () => {
    const rows = (type: FeatureRow['type']) =>
      FEATURE_TABLE.filter((row) => row.type === type).map((row) => row.feature)
    expect(rows('private').sort()).toEqual([...PRIVATE_FEATURES].sort())
    expect(rows('presence').sort()).toEqual([...PRESENCE_RECEIVERS].sort())
    // No definition of the app lacks a row (a new one must be added here, with its rule).
    const definitions = Object.keys(
      seedChannels({ store: app.store, isOnline: () => false, cacheTtlMs: 1 }),
    )
    expect(definitions.sort()).toEqual(FEATURE_TABLE.map((row) => row.pattern).sort())
    expect(FEATURE_TABLE).toHaveLength(23)
  })
})

describe('23 channels (11 private features, 12 presence receivers): who is allowed, what they get, who is refused', () => {
  it.each(FEATURE_TABLE.map((row) => [row.channel, row] as const))('%s', async (_name, row) => {
    const granted = await ask(row.channel, row.allowed)
    expect(granted.error, JSON.stringify(granted.error)).toBeUndefined()
    if (row.type === 'presence') {
      const member = JSON.parse(granted.channel_data!) as unknown
      expect(member).toEqual(row.member)
      expect(granted.auth).toBe(
        sdk.authorizeChannel(socketId, row.channel, member as Pusher.PresenceChannelData).auth,
      )
    } else {
      expect(granted.channel_data).toBeUndefined()
      expect((granted.events ?? []).map((e) => e.event)).toEqual(row.events)
      expect(granted.auth).toBe(sdk.authorizeChannel(socketId, row.channel).auth)
    }

    const refused = await ask(row.refused.channel ?? row.channel, row.refused.caller)
    expect(refused).toEqual({ error: { code: row.refused.code, status: row.refused.status } })
  })
})
