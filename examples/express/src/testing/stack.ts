import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  getFreePort,
  type RedisServer,
  type SoketiServer,
  startRedis,
  startSoketi,
} from '@presence/testing'
import { type AppConfig, createApp, type PresenceApp } from '../app.js'
import { openStore } from '../store/store.js'

/** The `METRICS_TOKEN` of the test stack's app instances (`GET /metrics` needs it). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef'

/** One node of the test stack: a soketi server and the app instance its webhooks reach. */
export interface StackNode {
  readonly soketi: SoketiServer
  readonly app: PresenceApp
  /** `http://127.0.0.1:<port>` of the app. */
  readonly url: string
  /** Every `onDecision` event this app instance emitted, in order. */
  readonly decisions: Array<Parameters<NonNullable<AppConfig['onDecision']>>[0]>
}

/** redis-server, N soketi nodes (Redis adapter when N > 1) and N app instances sharing one SQLite file. */
export interface Stack {
  readonly redis: RedisServer
  /** The apps' encryption master key (base64), when started with `encryption: true`. */
  readonly encryptionMasterKeyBase64: string | null
  readonly nodes: StackNode[]
  stop(): Promise<void>
}

/**
 * Starts the example's real parts on loopback for a test: redis-server, soketi
 * (with webhooks to the app) and the Express app, `nodes` times, in demo mode (the demo
 * accounts and their tokens `token-<name>`).
 *
 * @param options - how many nodes (default 1); `encryption`: a fresh master key for
 *   `private-encrypted-` channels
 * @returns the stack; `stop()` it in `afterAll`
 */
export async function startStack(
  options: { nodes?: number; encryption?: boolean } = {},
): Promise<Stack> {
  const count = options.nodes ?? 1
  const masterKey = options.encryption ? randomBytes(32).toString('base64') : null
  const dir = await mkdtemp(join(tmpdir(), 'presence-express-test-'))
  const databasePath = join(dir, 'app.sqlite')
  openStore({ path: databasePath, demo: true }).close()
  const redis = await startRedis()
  const nodes: StackNode[] = []
  const stop = async () => {
    for (const node of nodes) await node.app.close()
    for (const node of nodes) await node.soketi.stop()
    await redis.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < count; i++) {
      const decisions: StackNode['decisions'] = []
      const port = await getFreePort()
      const url = `http://127.0.0.1:${port}`
      const soketi = await startSoketi({
        ...(count > 1 ? { adapter: 'redis' as const, redisPort: redis.port } : {}),
        webhooks: [
          { url: `${url}/pusher/webhook`, event_types: ['member_added', 'member_removed'] },
        ],
      })
      const app = createApp({
        name: `node-${i}`,
        pusher: {
          appId: soketi.appId,
          key: soketi.key,
          secret: soketi.secret,
          ...(masterKey ? { encryptionMasterKeyBase64: masterKey } : {}),
        },
        redis: redis.url,
        store: { path: databasePath },
        demo: true,
        metricsToken: TEST_METRICS_TOKEN,
        debug: true,
        defaultMetrics: false,
        onDecision: (event) => decisions.push(event),
      })
      nodes.push({ soketi, app, url, decisions })
      await app.listen(port)
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { redis, encryptionMasterKeyBase64: masterKey, nodes, stop }
}
