/**
 * `pnpm conformance [runtime...]`: runs the conformance suite on each named
 * runtime (all of them by default) and prints one line per runtime,
 * `conformance <runtime> <version>: N passed, N failed`, then each failure.
 * Exits non-zero when any case fails or a runtime cannot run the suite.
 *
 * On the machine's Node it computes the fixture (the `pusher` SDK's answers,
 * JWTs), serves the JWKS on loopback, bundles the suite for the runtime, runs
 * it there (a script, or a Worker served by workerd) and reads the result.
 * `--json <file>` also writes every runtime's result (with the names of the
 * passed cases) as JSON.
 * @module
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RedisServer, startRedis } from '@presence/testing'
import { bundle } from './bundle.js'
import { createFixture, createJwksMaterial, type Fixture } from './fixture.js'
import type { SuiteResult } from './harness.js'
import { freePort, serveJwks } from './loopback.js'
import { binaryPath, RUNTIMES, type Runtime, runtimeVersion } from './runtimes.js'
import { startWorkerd } from './workerd.js'

const MARKER = 'CONFORMANCE_RESULT '
const RUN_LIMIT_MS = 180_000

function runScript(binary: string, args: string[], file: string): Promise<SuiteResult> {
  return new Promise((resolve, reject) => {
    // NODE_ENV unset, as in production builds that do not set it: `debug` stays off.
    const { NODE_ENV: _, ...inherited } = process.env
    const env = { ...inherited, NO_COLOR: '1' }
    const child = spawn(binary, [...args, file], { stdio: ['ignore', 'pipe', 'pipe'], env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((l) => l.startsWith(MARKER))
      if (!line) {
        reject(
          new Error(
            `no result (exit ${code ?? signal}); stderr:\n${stderr.slice(-2000)}\nstdout:\n${stdout.slice(-2000)}`,
          ),
        )
        return
      }
      if (code !== 0) {
        reject(
          new Error(
            `exited with ${code ?? signal} after its result; stderr:\n${stderr.slice(-2000)}`,
          ),
        )
        return
      }
      resolve(JSON.parse(line.slice(MARKER.length)) as SuiteResult)
    })
  })
}

/** The Worker's own `fetch` export serving `handlers.auth`, checked from outside over HTTP. */
async function checkServedWorker(url: string, fixture: Fixture, result: SuiteResult) {
  const name =
    'served over HTTP by workerd (export default { fetch }): answer byte-identical to pusher'
  const response = await fetch(`${url}/pusher/auth`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${fixture.jwt.hs256}`,
    },
    body: new URLSearchParams({ socket_id: fixture.socketId, channel_name: 'private-stream@42' }),
  })
  const body = await response.text()
  if (response.status === 200 && body === fixture.expected.private) {
    result.passed++
    result.passedNames.push(name)
  } else {
    result.failed++
    result.failures.push({ name, error: `got ${response.status} ${body}` })
  }
}

async function runWorker(
  binary: string,
  flags: string[],
  file: string,
  fixture: Fixture,
): Promise<SuiteResult> {
  const server = await startWorkerd(binary, file, flags)
  try {
    const response = await fetch(`${server.url}/run`, { signal: AbortSignal.timeout(RUN_LIMIT_MS) })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text}`)
    const result = JSON.parse(text) as SuiteResult
    await checkServedWorker(server.url, fixture, result)
    return result
  } finally {
    await server.stop()
  }
}

async function runOn(
  runtime: Runtime,
  outDir: string,
  makeFixture: (runtime: Runtime) => Promise<Fixture>,
): Promise<SuiteResult> {
  const binary = binaryPath(runtime)
  const version = runtimeVersion(runtime, binary)
  const fixture = await makeFixture(runtime)
  const file = join(outDir, `${runtime.name}.js`)
  await bundle({
    entry: runtime.kind === 'script' ? 'entry.ts' : 'worker.ts',
    platform: runtime.kind === 'script' ? 'node' : 'workerd',
    define: { __CONFORMANCE_FIXTURE__: fixture },
    outfile: file,
  })
  const result =
    runtime.kind === 'script'
      ? await runScript(binary, runtime.args, file)
      : await runWorker(binary, runtime.args, file, fixture)
  return { ...result, runtime: runtime.name, version }
}

const args = process.argv.slice(2)
const jsonFlag = args.indexOf('--json')
const jsonFile = jsonFlag >= 0 ? args[jsonFlag + 1] : undefined
const names = args.filter((a, i) => !a.startsWith('--') && (jsonFlag < 0 || i !== jsonFlag + 1))
const unknown = names.filter((n) => !RUNTIMES.some((r) => r.name === n))
if (unknown.length > 0) {
  console.error(
    `unknown runtime(s): ${unknown.join(', ')}; known: ${RUNTIMES.map((r) => r.name).join(', ')}`,
  )
  process.exit(2)
}
const selected = names.length > 0 ? RUNTIMES.filter((r) => names.includes(r.name)) : RUNTIMES

const material = await createJwksMaterial()
const jwks = await serveJwks(material.jwks)
const unreachableJwksUrl = `http://127.0.0.1:${await freePort()}/.well-known/jwks.json`
const redis: RedisServer | null = selected.some((r) => r.redis) ? await startRedis() : null
const outDir = mkdtempSync(join(tmpdir(), 'presence-conformance-'))
const results: SuiteResult[] = []
let anyFailed = false
try {
  for (const runtime of selected) {
    const started = Date.now()
    let result: SuiteResult
    try {
      result = await runOn(runtime, outDir, (r) =>
        createFixture(
          { name: r.name, nodeCrypto: r.nodeCrypto },
          { jwksUrl: jwks.url, unreachableJwksUrl, redisUrl: r.redis ? redis!.url : null },
          material,
        ),
      )
    } catch (error) {
      result = {
        runtime: runtime.name,
        version: runtime.npm ?? process.version,
        passed: 0,
        failed: 1,
        failures: [{ name: 'the runtime could not run the suite', error: String(error) }],
        passedNames: [],
      }
    }
    results.push(result)
    if (result.failed > 0 || result.passed === 0) anyFailed = true
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    console.log(
      `conformance ${result.runtime} ${result.version}: ${result.passed} passed, ${result.failed} failed (${seconds}s)`,
    )
    for (const failure of result.failures) console.log(`  ✗ ${failure.name}\n    ${failure.error}`)
  }
} finally {
  await jwks.close()
  await redis?.stop()
  rmSync(outDir, { recursive: true, force: true })
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
process.exit(anyFailed ? 1 : 0)
