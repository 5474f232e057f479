/**
 * The time limit of every channel of the feature table, measured at the server:
 * 4 s for presence channels and `private-stream`, 2 s for every other private
 * channel. The app's own definitions run with their authorizers stalled (they
 * wait for the server's abort signal), so each channel runs into its limit and
 * the server reports `TIMEOUT`, with the limit it applied and the time it waited.
 */
import {
  type ChannelDefinition,
  createPresenceServer,
  createSigner,
  type DecisionEvent,
} from '@presence/server'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { seedChannels } from './features/index.js'
import { sqliteSession } from './session.js'
import { openStore, type Store } from './store/store.js'
import { FEATURE_TABLE, headersOf } from './testing/feature-table.js'

let store: Store
const decisions: DecisionEvent[] = []

beforeAll(() => {
  store = openStore({ demo: true })
})

afterAll(() => {
  store?.close()
})

/** The definition as the app declares it (priority, user requirement...), its authorizer stalled. */
function stalled(definition: ChannelDefinition): ChannelDefinition {
  if (typeof definition === 'function') throw new Error('every feature is declared as an object')
  const { cache: _cache, authorize: _authorize, ...declared } = definition
  return {
    ...declared,
    authorize: ({ signal }) =>
      new Promise<boolean>((resolve) => signal.addEventListener('abort', () => resolve(false))),
  } as ChannelDefinition
}

it('each of the 23 channels times out at its own limit: 4000 ms for presence and private-stream, 2000 ms for the rest', {
  timeout: 60_000,
}, async () => {
  const definitions = seedChannels({ store, isOnline: () => false, cacheTtlMs: 10_000 })
  const server = createPresenceServer({
    signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
    session: sqliteSession(store),
    channels: Object.fromEntries(
      Object.entries(definitions).map(([pattern, definition]) => [
        pattern,
        stalled(definition as ChannelDefinition),
      ]),
    ),
    clientId: (request) => request.headers.get('x-client-id'),
    debug: true,
    onDecision: (event) => decisions.push(event),
  })

  // One request per channel, all at once: each channel has the server to itself.
  const answers = await Promise.all(
    FEATURE_TABLE.map(async (row) => {
      const query = new URLSearchParams({ socket_id: '1.2', channels: row.channel })
      const request = new Request(`http://app.test/pusher/batch-authenticate?${query}`, {
        headers: headersOf(row.allowed),
      })
      const response = await server.handlers.batch(request)
      const body = (await response.json()) as Record<
        string,
        { error?: { code: string; status: number; message?: string } }
      >
      return { row, error: body[row.channel]?.error }
    }),
  )

  for (const { row, error } of answers) {
    expect(error?.code, row.channel).toBe('TIMEOUT')
    // The limit the server applied, as it reports it...
    expect(error?.message, row.channel).toContain(`within ${row.limitMs} ms`)
    // ...and the time it waited before refusing (timers never fire early; a 1 ms rounding margin).
    const decision = decisions.find((d) => d.channel === row.channel)
    expect(decision?.code, row.channel).toBe('TIMEOUT')
    expect(decision!.durationMs, row.channel).toBeGreaterThanOrEqual(row.limitMs - 1)
  }
})
