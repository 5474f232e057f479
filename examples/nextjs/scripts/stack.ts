import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { join } from 'node:path'
import {
  getFreePort,
  type ManagedProcess,
  type SoketiServer,
  startProcess,
  startSoketi,
  waitFor,
} from '@presence/testing'
import { appDir, buildIfNeeded, nextBin } from './build'
import { acquireLock } from './lock'

/** Options of {@link startStack}. */
export interface StackOptions {
  /** The app's port; a free one when omitted or taken. @default 3000 when free */
  appPort?: number
  /** soketi's port; a free one when omitted or taken. @default 6001 when free */
  soketiPort?: number
  /** The app's SQLite file. @default '<examples/nextjs>/.data/messenger.db' */
  databasePath?: string
  /**
   * Demo mode (`PRESENCE_DEMO=1`): demo accounts, their sign-in hint and the refusal demo.
   * @default true
   */
  demo?: boolean
  /** Extra environment for `next start`. */
  env?: Record<string, string>
  /** Receives progress: waiting for another run, `next build` output. */
  log?: (message: string) => void
}

/** soketi and the built app, both on 127.0.0.1. */
export interface Stack {
  readonly url: string
  readonly soketi: SoketiServer
  readonly app: ManagedProcess
  /** Stops the app, then soketi (each process group: SIGTERM, then SIGKILL), and releases the checkout. */
  stop(): Promise<void>
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function portOr(preferred: number | undefined, fallback: number): Promise<number> {
  const wanted = preferred ?? fallback
  return (await isFree(wanted)) ? wanted : getFreePort()
}

/**
 * Builds the app when its sources changed (`next build --webpack`), then
 * starts soketi (memory adapter) and `next start` with the environment that
 * points the app at it: `PUSHER_KEY`/`PUSHER_SECRET` for the signer,
 * `NEXT_PUBLIC_PUSHER_*` for the browser, a random `NEXTAUTH_SECRET`, and
 * `PRESENCE_DEMO=1` unless `demo: false`. Holds a lock on the checkout until
 * `stop()`, so concurrent runs wait instead of rebuilding `.next` under a
 * running server.
 *
 * @returns the running stack; call `stop()` to end both processes.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {})
  const release = await acquireLock(join(appDir, '.next-lock'), {
    onWait: (owner) => log(`Waiting for another run of this app (pid ${owner}) to finish…\n`),
  })
  let soketi: SoketiServer | undefined
  let app: ManagedProcess | undefined
  const stop = async () => {
    await app?.stop()
    await soketi?.stop()
    release()
  }
  try {
    await buildIfNeeded((chunk) => log(chunk))
    // client events on: the members' live state ("typing…") travels as client events
    soketi = await startSoketi({
      port: await portOr(options.soketiPort, 6001),
      clientMessages: true,
    })
    const port = await portOr(options.appPort, 3000)
    const url = `http://127.0.0.1:${port}`
    const started = startProcess(
      process.execPath,
      [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: appDir,
        env: {
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          // a fresh secret per run: no secret is ever written down in the app
          NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
          NEXTAUTH_URL: url,
          ...(options.demo === false ? {} : { PRESENCE_DEMO: '1' }),
          DATABASE_PATH: options.databasePath ?? join(appDir, '.data', 'messenger.db'),
          PUSHER_KEY: soketi.key,
          PUSHER_SECRET: soketi.secret,
          NEXT_PUBLIC_PUSHER_KEY: soketi.key,
          NEXT_PUBLIC_PUSHER_HOST: soketi.host,
          NEXT_PUBLIC_PUSHER_PORT: String(soketi.port),
          NEXT_PUBLIC_PUSHER_TLS: 'false',
          ...options.env,
        },
      },
    )
    app = started
    await Promise.race([
      waitFor(async () => (await fetch(`${url}/api/auth/csrf`)).ok, {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: `the Next.js app on ${url}`,
      }),
      started.exited.then((code) => {
        throw new Error(`next start exited early (code ${code}):\n${started.output()}`)
      }),
    ])
    return { url, soketi, app: started, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
