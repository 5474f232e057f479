/**
 * The runtimes the suite runs on, each from the npm registry with its binary
 * (`npx -y -p <package>`), pinned so a run is reproducible; bump a version
 * here on purpose and rerun `pnpm conformance`. The machine's own Node is
 * the one running the runner.
 * @module
 */
import { execFileSync } from 'node:child_process'

/** One runtime under test. */
export interface Runtime {
  /** The name printed in `conformance <name> <version>: …`. */
  name: string
  /** The npm package and exact version that brings the binary, or `null` for the machine's Node. */
  npm: string | null
  /** The binary the package puts on the PATH. */
  bin: string
  /** How the suite runs: a script run by the binary, or a Worker served by workerd. */
  kind: 'script' | 'workerd'
  /** Arguments before the script (script runtimes) or the compatibility flags (workerd). */
  args: string[]
  /** Whether `node:crypto` is expected (through `process.getBuiltinModule`): the feature table. */
  nodeCrypto: boolean
  /** Whether `redisCache` (ioredis over TCP) is expected to work: the feature table. */
  redis: boolean
}

export const RUNTIMES: Runtime[] = [
  {
    name: 'node20',
    npm: null,
    bin: 'node',
    kind: 'script',
    args: [],
    nodeCrypto: true,
    redis: true,
  },
  {
    name: 'node22',
    npm: 'node@22.23.3',
    bin: 'node',
    kind: 'script',
    args: [],
    nodeCrypto: true,
    redis: true,
  },
  {
    name: 'node24',
    npm: 'node@24.21.0',
    bin: 'node',
    kind: 'script',
    args: [],
    nodeCrypto: true,
    redis: true,
  },
  {
    name: 'bun',
    npm: 'bun@1.4.5',
    bin: 'bun',
    kind: 'script',
    args: ['run'],
    nodeCrypto: true,
    redis: true,
  },
  {
    name: 'deno',
    npm: 'deno@2.9.6',
    bin: 'deno',
    kind: 'script',
    // Loopback network only (the JWKS, redis-server). Env access: createPresenceServer reads
    // NODE_ENV when `debug` is not given (`--allow-env=NODE_ENV` would do for that), but ioredis's
    // `debug` dependency lists every variable when it is imported, which needs all of `--allow-env`.
    args: ['run', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env'],
    nodeCrypto: true,
    redis: true,
  },
  {
    name: 'workerd',
    npm: 'workerd@1.20261117.1',
    bin: 'workerd',
    kind: 'workerd',
    args: [],
    nodeCrypto: false,
    redis: false,
  },
  {
    name: 'workerd-nodejs-compat',
    npm: 'workerd@1.20261117.1',
    bin: 'workerd',
    kind: 'workerd',
    args: ['nodejs_compat'],
    nodeCrypto: true,
    redis: false,
  },
]

/**
 * The absolute path of a runtime's binary, installing its npm package into
 * npm's cache on first use (`npx -y`).
 * @param runtime - the runtime.
 * @returns the path.
 */
export function binaryPath(runtime: Runtime): string {
  if (runtime.npm === null) return process.execPath
  // npm's own warnings (pnpm's npm_config_* variables) go nowhere; a failure still throws with them.
  const found = execFileSync(
    'npx',
    ['-y', '-p', runtime.npm, 'sh', '-c', `command -v ${runtime.bin}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim()
  if (!found.startsWith('/')) throw new Error(`cannot find ${runtime.bin} from ${runtime.npm}`)
  return found
}

/**
 * The version a binary reports (`v22.23.3` → `22.23.3`, `deno 2.9.6 (…)` → `2.9.6`).
 * @param path - the binary.
 * @returns the version.
 */
export function binaryVersion(path: string): string {
  const out = execFileSync(path, ['--version'], { encoding: 'utf8' })
  return out.match(/\d+\.\d+\.\d+|\d{4}-\d{2}-\d{2}/)?.[0] ?? out.trim()
}

/**
 * The version printed for a runtime: its npm version for workerd (whose `--version` reports a
 * compatibility date), what its binary reports for the others.
 * @param runtime - the runtime.
 * @param binary - its binary ({@link binaryPath}).
 * @returns the version.
 */
export function runtimeVersion(runtime: Runtime, binary: string): string {
  return runtime.kind === 'workerd' ? runtime.npm!.split('@')[1]! : binaryVersion(binary)
}
