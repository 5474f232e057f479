import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getFreePort, waitFor } from './ports.js'
import { type ManagedProcess, startProcess } from './process.js'

/** A running `redis-server` on 127.0.0.1, without persistence. */
export interface RedisServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  readonly process: ManagedProcess
  /** Stops the server and removes its working directory. */
  stop(): Promise<void>
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.setTimeout(500)
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data.toString().startsWith('+PONG'))
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

/**
 * Starts Debian's `redis-server` on a loopback port (free one unless `port` is
 * given, e.g. to restart on the same port) and resolves once it answers PING.
 *
 * @example
 * const redis = await startRedis()
 * const client = new Redis(redis.port, '127.0.0.1')
 * await redis.stop()
 */
export async function startRedis(
  options: { port?: number; bin?: string } = {},
): Promise<RedisServer> {
  const port = options.port ?? (await getFreePort())
  const dir = await mkdtemp(join(tmpdir(), 'presence-redis-'))
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? 'redis-server'
  const proc = startProcess(
    bin,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    {},
  )
  try {
    await Promise.race([
      waitFor(() => ping(port), { timeoutMs: 10_000, what: `redis-server on port ${port}` }),
      proc.exited.then((code) => {
        throw new Error(
          `redis-server exited early (code ${code}); is it installed (apt-get install -y redis-server)?\n${proc.output()}`,
        )
      }),
    ])
  } catch (error) {
    await proc.stop()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    process: proc,
    async stop() {
      await proc.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
