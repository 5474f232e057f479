import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// No `new URL(...)` here: under happy-dom/jsdom test environments the global URL is the
// DOM's, which Node's fileURLToPath rejects.
const guardian = join(dirname(fileURLToPath(import.meta.url)), 'guardian.mjs')

/** A child process started by a test, stopped with {@link ManagedProcess.stop}. */
export interface ManagedProcess {
  /** The guardian process, leader of the process group (see {@link startProcess}); use `commandPid` / `signal` to reach the command itself. */
  readonly child: ChildProcess
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string
  /** Sends SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>
  readonly exited: Promise<number | null>
  /** The pid of the command itself (not of its guardian), once it has started. */
  readonly commandPid: Promise<number>
  /** Sends `signal` to the command itself, e.g. `SIGSTOP` to freeze a server. */
  signal(signal: NodeJS.Signals): Promise<void>
}

const running = new Set<ManagedProcess>()

function killAll() {
  for (const proc of running) {
    try {
      if (proc.child.pid) process.kill(-proc.child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

let hooked = false
function hookExit() {
  if (hooked) return
  hooked = true
  process.once('exit', killAll)
}

/**
 * Spawns a command in its own process group so that stopping it also stops
 * its children. Every process still running when the test process exits is
 * killed, and a guardian process kills the command within a second when the
 * test process dies without exiting cleanly (SIGKILL, a runner timeout).
 */
export function startProcess(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): ManagedProcess {
  hookExit()
  const child = spawn(process.execPath, [guardian, String(process.pid), command, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const commandPid = new Promise<number>((resolve, reject) => {
    child.once('message', (message: { pid?: number }) =>
      message.pid ? resolve(message.pid) : reject(new Error(`${command} did not start`)),
    )
    child.once('exit', () => reject(new Error(`${command} exited before it started`)))
  })
  commandPid.catch(() => {})
  let out = ''
  const append = (chunk: Buffer) => {
    out += chunk.toString()
    if (out.length > 64_000) out = out.slice(-32_000)
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode)
    child.once('exit', (code) => resolve(code))
    child.once('error', () => resolve(null))
  })
  const managed: ManagedProcess = {
    child,
    output: () => out,
    exited,
    commandPid,
    async signal(sig) {
      process.kill(await commandPid, sig)
    },
    async stop(graceMs = 3000) {
      running.delete(managed)
      if (child.exitCode !== null || child.signalCode !== null) return
      const signal = (sig: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, sig)
        } catch {
          // already gone
        }
      }
      signal('SIGTERM')
      const timer = setTimeout(() => signal('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
  running.add(managed)
  void exited.then(() => running.delete(managed))
  return managed
}
