import { sleep } from './ports.js'
import { type ManagedProcess, startProcess } from './process.js'

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The folder the command runs in. */
  readonly cwd?: string
  /** Environment on top of the test process's own; `undefined` unsets a variable. */
  readonly env?: Record<string, string | undefined>
  /**
   * Resolves truthy once the server listens (e.g. a fetch of a page that must come back `ok`);
   * a throw counts as "not yet". Omitted: the start is expected to exit (a refused start), and
   * {@link startServer} resolves when it does.
   */
  readonly ready?: () => unknown
  /** What is started, for the error messages. */
  readonly what: string
  /**
   * How long the server may take to listen (or, without `ready`, to exit).
   * @default 60_000
   */
  readonly timeoutMs?: number
  /**
   * How often `ready` is asked.
   * @default 200
   */
  readonly intervalMs?: number
}

/**
 * Spawns a server's start command with {@link startProcess} and waits until it listens
 * (`ready` answers truthy) or exits, whichever comes first.
 *
 * - With `ready`: resolves once it listens; rejects, with the command's exit code and output,
 *   when it exits first.
 * - Without `ready` (a start that must refuse, e.g. without its secrets): resolves once it
 *   exits; read the code from `exited` and the message from `output()`.
 *
 * Past `timeoutMs` with neither, the process is stopped and the promise rejects with its output.
 *
 * @example
 * ```ts
 * const app = await startServer(process.execPath, ['server.js'], {
 *   env: { PORT: String(port) },
 *   ready: async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok,
 *   what: 'the app',
 * })
 * // ... then: await app.stop()
 * ```
 *
 * @param command - the executable (`process.execPath`, `pnpm`, ...).
 * @param args - its arguments.
 * @param options - its folder and environment, what tells that it listens, the time it has.
 * @returns the running process (listening), or the exited one (without `ready`).
 */
export async function startServer(
  command: string,
  args: string[],
  options: StartServerOptions,
): Promise<ManagedProcess> {
  const { ready, what, timeoutMs = 60_000, intervalMs = 200 } = options
  const proc = startProcess(command, args, options)
  let timer: ReturnType<typeof setTimeout> | undefined
  let settled = false
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const exited = proc.exited.then((code) => ({ code }))
  const first = await Promise.race([
    ready ? listening(ready, intervalMs, () => settled) : new Promise<never>(() => {}),
    exited,
    timeout,
  ]).finally(() => {
    settled = true
    clearTimeout(timer)
  })
  if (first === 'timeout') {
    await proc.stop()
    const state = ready ? 'did not listen' : 'was still running (it should have exited)'
    throw new Error(`${what} ${state} after ${timeoutMs} ms:\n${proc.output()}`)
  }
  if (typeof first === 'object' && ready) {
    throw new Error(`${what} exited (code ${first.code}) before it listened:\n${proc.output()}`)
  }
  return proc
}

/** Asks `ready` every `intervalMs` until it answers truthy, or until `done()`. */
async function listening(
  ready: () => unknown,
  intervalMs: number,
  done: () => boolean,
): Promise<'listening' | 'done'> {
  while (!done()) {
    try {
      if (await ready()) return 'listening'
    } catch {
      // not listening yet
    }
    await sleep(intervalMs)
  }
  return 'done'
}
