/**
 * One example as a standalone app outside the workspace: copied without its tests and the
 * monorepo-only dev scripts, installed with npm from the packed tarballs, built with its
 * framework's default toolchain, and checked end to end by its own `npm run smoke` against a
 * real soketi (and Redis).
 * @module
 */
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { RedisServer, SoketiServer } from '@presence/testing'
import { getFreePort, startProcess } from '@presence/testing'
import {
  nextBuild,
  npmInstall,
  type Packed,
  repoRoot,
  rewriteManifest,
  run,
  step,
  strangerEnvOverrides,
  waitForHttp,
} from './outside.js'

/** What every outside-in step gets. */
export interface OutsideContext {
  work: string
  packed: Packed
  services: { soketi: SoketiServer; redis: RedisServer }
}

/**
 * Files that only make sense inside the monorepo: tests and their helpers, and the dev
 * scripts that start soketi through the workspace's test helpers (`pnpm demo`, `dev`, `cluster`).
 */
const MONOREPO_ONLY =
  /(^|\/)(node_modules|\.next|\.data|data|dist|e2e|testing|__screenshots__)(\/|$)|\.test\.tsx?$|\.tsbuildinfo$|^next-env\.d\.ts$|^scripts\/(demo|stack|lock|build|simulated-user|dev|cluster)\.ts$/

function copyExample(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => !MONOREPO_ONLY.test(relative(from, source).split('\\').join('/')),
  })
}

/** Package names a folder's source files import (bare specifiers), node_modules aside. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>()
  const visit = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
      const full = join(path, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name)) {
        const code = readFileSync(full, 'utf8')
        for (const m of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g)) {
          const spec = m[1] ?? ''
          if (spec.startsWith('node:') || spec.startsWith('@/')) continue
          names.add(
            spec.startsWith('@')
              ? spec.split('/').slice(0, 2).join('/')
              : (spec.split('/')[0] ?? spec),
          )
        }
      }
    }
  }
  visit(dir)
  return names
}

/**
 * Drops the devDependencies that only the left-out tests used (e.g. pusher-js-auth, whose
 * peer range predates pusher-js 8); type packages and the TypeScript tools stay.
 * @returns the names dropped.
 */
function dropTestOnlyDevDependencies(dir: string): string[] {
  const file = join(dir, 'package.json')
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    devDependencies?: Record<string, string>
  }
  const used = importedPackages(dir)
  const dropped = Object.keys(manifest.devDependencies ?? {}).filter(
    (name) =>
      !used.has(name) && !name.startsWith('@types/') && !['typescript', 'tsx'].includes(name),
  )
  for (const name of dropped) delete manifest.devDependencies?.[name]
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`)
  return dropped
}

/** Runs one example (`nextjs`, `express` or `chrome-extension`) outside the workspace. */
export async function runExample(name: string, context: OutsideContext): Promise<void> {
  const { work, packed, services } = context
  const dir = join(work, name)
  await step(`example ${name}: copy, point @presence/* at the tarballs, npm install`, async () => {
    copyExample(join(repoRoot, 'examples', name), dir)
    const dropped = rewriteManifest(join(dir, 'package.json'), packed)
    const testOnly = dropTestOnlyDevDependencies(dir)
    console.log(`copied examples/${name} → ${dir} (without its tests and monorepo dev scripts)`)
    console.log(
      `  dropped workspace-only: ${dropped.join(', ') || 'none'}; test-only: ${testOnly.join(', ') || 'none'}`,
    )
    await npmInstall(dir)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const deps = { ...manifest.dependencies, ...manifest.devDependencies } as Record<string, string>
    console.log(`installed ${Object.keys(deps).length} declared dependencies with npm`)
  })
  const pusherEnv = {
    PUSHER_HOST: '127.0.0.1',
    PUSHER_PORT: String(services.soketi.port),
    PUSHER_APP_ID: services.soketi.appId,
    PUSHER_KEY: services.soketi.key,
    PUSHER_SECRET: services.soketi.secret,
  }
  if (name === 'nextjs') {
    await step('example nextjs: next build (Turbopack, the default)', async () => {
      await nextBuild(dir, /Next\.js|Compiled|Route|[┌├└]/)
      const authCore = existsSync(join(dir, 'node_modules/@auth/core'))
      console.log(
        `@auth/core installed: ${authCore ? 'yes' : 'no'} (the app uses next-auth v4 only)`,
      )
      if (authCore) throw new Error('@auth/core is installed: the check would prove nothing')
    })
    await step('example nextjs: next start + npm run smoke against soketi', async () => {
      const port = await getFreePort()
      const env = {
        ...pusherEnv,
        NEXT_PUBLIC_PUSHER_HOST: '127.0.0.1',
        NEXT_PUBLIC_PUSHER_PORT: String(services.soketi.port),
        NEXT_PUBLIC_PUSHER_KEY: services.soketi.key,
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        // the app has no fallback secret; demo mode creates the account the smoke signs in with
        NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
        PRESENCE_DEMO: '1',
        NODE_ENV: 'production',
      }
      const server = startProcess(
        process.execPath,
        [
          join(dir, 'node_modules/next/dist/bin/next'),
          'start',
          '-H',
          '127.0.0.1',
          '-p',
          String(port),
        ],
        { cwd: dir, env: { ...strangerEnvOverrides(), ...env } },
      )
      try {
        await waitForHttp(`http://127.0.0.1:${port}/`, 90_000)
        const out = await run('npm', ['run', '--silent', 'smoke'], {
          cwd: dir,
          env: { ...env, APP_URL: `http://127.0.0.1:${port}` },
          timeoutMs: 120_000,
        })
        console.log(out.trim())
      } catch (error) {
        throw new Error(
          `${error instanceof Error ? error.message : error}\nnext start:\n${server.output()}`,
        )
      } finally {
        await server.stop()
      }
    })
    return
  }
  if (name === 'chrome-extension') {
    await step(
      'example chrome-extension: npm run build (esbuild bundle of the extension)',
      async () => {
        const out = await run('npm', ['run', '--silent', 'build'], { cwd: dir })
        console.log(out.trim())
      },
    )
  }
  await step(`example ${name}: tsc (its own tsconfig)`, async () => {
    await run(
      process.execPath,
      [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      {
        cwd: dir,
      },
    )
    console.log('tsc -p tsconfig.json: no errors')
  })
  await step(
    `example ${name}: npm run smoke against soketi${name === 'express' ? ' and Redis' : ''}`,
    async () => {
      const out = await run('npm', ['run', '--silent', 'smoke'], {
        cwd: dir,
        env: { ...pusherEnv, REDIS_URL: services.redis.url },
        timeoutMs: 120_000,
      })
      console.log(out.trim())
    },
  )
}
