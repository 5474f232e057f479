import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { ManagedProcess, SoketiServer, StartServerOptions } from '@presence/testing'
import { getFreePort, startServer, startSoketi } from '@presence/testing'
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
 * `next start` of the built app on 127.0.0.1:`port`, in production with telemetry off, plus
 * `options.env`. Resolves once `options.ready` answers (rejecting if the start exits first),
 * or, without `ready`, once the start exits: see `startServer`.
 * @param port - the port it listens on.
 * @param options - its environment, what tells that it listens, the time it has.
 * @returns the running (or, without `ready`, the exited) process.
 */
export function startNext(
  port: number,
  options: Omit<StartServerOptions, 'cwd'>,
): Promise<ManagedProcess> {
  return startServer(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    ...options,
    cwd: appDir,
    env: { NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...options.env },
  })
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
    app = await startNext(port, {
      env: {
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
      ready: async () => (await fetch(`${url}/api/auth/csrf`)).ok,
      what: `the Next.js app on ${url}`,
    })
    return { url, soketi, app, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
