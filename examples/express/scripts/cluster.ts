/**
 * Scale-out without docker-compose: one redis-server, two soketi nodes on the
 * Redis adapter, and two instances of this app sharing the Redis cache and one
 * SQLite file. Each soketi node sends its webhooks to "its" app instance.
 *
 *   pnpm --filter @presence/example-express cluster
 *
 * A demo: the app instances run in demo mode (`--demo`, the demo accounts and their
 * tokens `token-<name>`), with credentials made up for this run (soketi's own
 * defaults are public). Prints the addresses, then runs until Ctrl-C, which stops
 * everything.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  getFreePort,
  type ManagedProcess,
  type RedisServer,
  type SoketiServer,
  startProcess,
  startRedis,
  startSoketi,
  waitFor,
} from '@presence/testing'
import { openStore } from '../src/store/store.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const credentials = {
  appId: 'app-id',
  key: 'app-key',
  secret: randomBytes(24).toString('base64url'),
}
// Both instances share one master key, so either can answer an encrypted channel.
const encryptionMasterKeyBase64 = randomBytes(32).toString('base64')
// What GET /metrics asks for (a Prometheus scraper's bearer token).
const metricsToken = randomBytes(16).toString('hex')
const events = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed'] as const

interface Node {
  name: string
  soketi: SoketiServer
  app: ManagedProcess
  appUrl: string
}

async function startApp(options: {
  name: string
  port: number
  redisUrl: string
  databasePath: string
}): Promise<ManagedProcess> {
  const proc = startProcess(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'src/main.ts'), '--demo'],
    {
      cwd: root,
      env: {
        PORT: String(options.port),
        HOST: '127.0.0.1',
        INSTANCE_NAME: options.name,
        REDIS_URL: options.redisUrl,
        DATABASE_PATH: options.databasePath,
        PUSHER_APP_ID: credentials.appId,
        PUSHER_KEY: credentials.key,
        PUSHER_SECRET: credentials.secret,
        ENCRYPTED_CHANNELS: 'on',
        PUSHER_ENCRYPTION_MASTER_KEY_BASE64: encryptionMasterKeyBase64,
        METRICS_TOKEN: metricsToken,
      },
    },
  )
  const url = `http://127.0.0.1:${options.port}`
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/healthz`)).ok, {
      timeoutMs: 20_000,
      what: `app ${options.name} on ${url}`,
    }),
    proc.exited.then((code) => {
      throw new Error(`app ${options.name} exited (code ${code}):\n${proc.output()}`)
    }),
  ])
  return proc
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'presence-express-cluster-'))
  const databasePath = join(dataDir, 'app.sqlite')
  // Create and seed the shared database once, before two processes open it.
  openStore({ path: databasePath, demo: true }).close()

  let redis: RedisServer | undefined
  const nodes: Node[] = []
  const stopAll = async () => {
    for (const node of nodes) await node.app.stop()
    for (const node of nodes) await node.soketi.stop()
    await redis?.stop()
    await rm(dataDir, { recursive: true, force: true })
  }

  try {
    redis = await startRedis()
    for (const name of ['a', 'b']) {
      const appPort = await getFreePort()
      const appUrl = `http://127.0.0.1:${appPort}`
      const soketi = await startSoketi({
        ...credentials,
        adapter: 'redis',
        redisPort: redis.port,
        webhooks: [{ url: `${appUrl}/pusher/webhook`, event_types: [...events] }],
      })
      const app = await startApp({
        name,
        port: appPort,
        redisUrl: redis.url,
        databasePath,
      })
      nodes.push({ name, soketi, app, appUrl })
    }
  } catch (error) {
    await stopAll()
    throw error
  }

  console.log(`redis-server   ${redis.url}`)
  for (const node of nodes) {
    console.log(
      `node ${node.name}: soketi ws://127.0.0.1:${node.soketi.port}  app ${node.appUrl}  ` +
        `(batch: ${node.appUrl}/pusher/batch-authenticate, metrics: ${node.appUrl}/metrics)`,
    )
  }
  console.log(`SQLite         ${databasePath}`)
  console.log(
    `Try: curl -H 'Authorization: Bearer token-bob' '${nodes[0]?.appUrl}/pusher/batch-authenticate?socket_id=1.1&channels=private-stream@42,presence-order@1001,private-encrypted-stream@42'`,
  )
  console.log(`     curl -H 'Authorization: Bearer ${metricsToken}' '${nodes[0]?.appUrl}/metrics'`)
  console.log('Ctrl-C stops everything.')

  let stopping = false
  const onSignal = () => {
    if (stopping) return
    stopping = true
    console.log('\nstopping…')
    stopAll().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Stop the cluster if one of its processes dies.
  for (const node of nodes) {
    void node.app.exited.then((code) => {
      if (stopping) return
      console.error(`app ${node.name} exited (code ${code}):\n${node.app.output()}`)
      onSignal()
    })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
