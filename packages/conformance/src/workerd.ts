/**
 * Serves a bundled Worker with the `workerd` binary on a loopback port, the
 * way Cloudflare runs it: a config with one Worker (ES module), a
 * compatibility date and flags, and an outbound network that may reach
 * loopback (where the runner serves the JWKS).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { freePort } from './loopback.js'

/** A running workerd. */
export interface WorkerdServer {
  url: string
  stop(): Promise<void>
}

/**
 * The compatibility date the Workers are served with. Observed with workerd
 * 1.20261117.1: at this date a Worker without `nodejs_compat` has no
 * `process` (so no `node:crypto`); at 2026-11-01 it has both by default.
 */
export const COMPATIBILITY_DATE = '2026-01-01'

function config(workerFile: string, port: number, flags: string[]): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "${basename(workerFile)}")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = [${flags.map((f) => `"${f}"`).join(', ')}],
  globalOutbound = "outbound",
);
`
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}):\n${log()}`)
    try {
      await fetch(`${url}/health`, { method: 'HEAD' })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`workerd did not listen on ${url} within 30 s:\n${log()}`)
}

/**
 * Starts workerd serving `workerFile`.
 * @param binary - the workerd binary.
 * @param workerFile - the bundled Worker (ES module).
 * @param flags - compatibility flags, e.g. `['nodejs_compat']`.
 */
export async function startWorkerd(
  binary: string,
  workerFile: string,
  flags: string[],
): Promise<WorkerdServer> {
  const port = await freePort()
  const configFile = join(dirname(workerFile), `${basename(workerFile, '.js')}.capnp`)
  writeFileSync(configFile, config(workerFile, port, flags))
  let output = ''
  const child = spawn(binary, ['serve', configFile, '--experimental'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  try {
    await waitUntilServing(url, child, () => output)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, stop }
}
