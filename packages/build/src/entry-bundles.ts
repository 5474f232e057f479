/**
 * Every public entry point bundled by esbuild, webpack and Turbopack (`next build`) in a fresh
 * project that has only the required dependencies installed: the packed packages, their
 * required peers (pusher-js, react) and the bundlers. No optional peer is installed, so a
 * bundler that reaches one (e.g. `@auth/core` from `@presence/server/session`) fails the step.
 * The Auth.js entry, whose required dependency is `@auth/core`, is bundled afterwards with
 * `@auth/core` added; the NextAuth entry after `@auth/core` is removed again and `next-auth`
 * added, as a NextAuth v4 app has it (next-auth 4.24 pins `@auth/core` 0.34.3 as an optional
 * peer, which conflicts with the Auth.js entry's `>=0.37`: no app installs both).
 * @module
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { catalog, nextBuild, npmInstall, type Packed, run, step } from './outside.js'
import { readPackedManifest } from './tarball.mjs'

/** The entry that needs `@auth/core`, an optional peer the app installs when it uses it. */
const AUTH_JS_ENTRY = '@presence/server/session/auth-js'
/** The entry that needs `next-auth` (v4), an optional peer the app installs when it uses it. */
const NEXT_AUTH_ENTRY = '@presence/server/session/next-auth'

/** Every import specifier the packed packages publish. */
function publicSpecifiers(packed: Packed): string[] {
  return Object.entries(packed).flatMap(([name, tgz]) => {
    const manifest = readPackedManifest(tgz) as { exports: Record<string, unknown> }
    return Object.keys(manifest.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`))
  })
}

const slug = (specifier: string) => specifier.replace(/^@presence\//, '').replace(/\//g, '-')
const isBrowser = (specifier: string) => /^@presence\/(client|react)/.test(specifier)

function kb(file: string): string {
  return `${(statSync(file).size / 1024).toFixed(1)} KB`
}

/** The same file name rule, for the generated bundler scripts. */
const SLUG_SOURCE = "(specifier) => specifier.replace(/^@presence\\//, '').replace(/\\//g, '-')"

/** esbuild and webpack bundles of `specifiers` (entries already written to `entries/`). */
async function bundleWithEsbuildAndWebpack(dir: string, specifiers: string[]): Promise<void> {
  await step(`esbuild: bundle ${specifiers.length} entry point(s)`, async () => {
    const script = `
import { build } from 'esbuild'
const specifiers = ${JSON.stringify(specifiers)}
const slug = ${SLUG_SOURCE}
for (const specifier of specifiers) {
  const name = slug(specifier)
  const browser = /^@presence\\/(client|react)/.test(specifier)
  await build({ entryPoints: ['entries/' + name + '.mjs'], bundle: true, format: 'esm',
    platform: browser ? 'browser' : 'node', outfile: 'out/esbuild/' + name + '.js', logLevel: 'error' })
}
`
    writeFileSync(join(dir, 'esbuild.mjs'), script)
    await run(process.execPath, ['esbuild.mjs'], { cwd: dir })
    for (const specifier of specifiers) {
      console.log(
        `  ${specifier} → out/esbuild/${slug(specifier)}.js (${kb(join(dir, 'out/esbuild', `${slug(specifier)}.js`))})`,
      )
    }
  })
  await step(`webpack: bundle ${specifiers.length} entry point(s)`, async () => {
    const script = `
import webpack from 'webpack'
import { resolve } from 'node:path'
const specifiers = ${JSON.stringify(specifiers)}
const slug = ${SLUG_SOURCE}
const config = (browser) => ({
  mode: 'production',
  target: browser ? 'web' : 'node',
  context: process.cwd(),
  entry: Object.fromEntries(specifiers.filter((s) => /^@presence\\/(client|react)/.test(s) === browser)
    .map((s) => [slug(s), './entries/' + slug(s) + '.mjs'])),
  output: { path: resolve('out/webpack'), filename: '[name].js', library: { type: 'module' } },
  experiments: { outputModule: true },
  performance: { hints: false },
})
const configs = [config(false), config(true)].filter((c) => Object.keys(c.entry).length > 0)
webpack(configs, (error, stats) => {
  if (error) { console.error(error); process.exit(1) }
  if (stats.hasErrors()) { console.error(stats.toString('errors-only')); process.exit(1) }
  process.exit(0)
})
`
    writeFileSync(join(dir, 'webpack.mjs'), script)
    await run(process.execPath, ['webpack.mjs'], { cwd: dir })
    for (const specifier of specifiers) {
      console.log(
        `  ${specifier} → out/webpack/${slug(specifier)}.js (${kb(join(dir, 'out/webpack', `${slug(specifier)}.js`))})`,
      )
    }
  })
}

/** Runs the whole bundling check in `<work>/bundles`. */
export async function bundleEntryPoints({
  work,
  packed,
}: {
  work: string
  packed: Packed
}): Promise<void> {
  const dir = join(work, 'bundles')
  const specifiers = publicSpecifiers(packed)
  const required = specifiers.filter((s) => s !== AUTH_JS_ENTRY && s !== NEXT_AUTH_ENTRY)
  const ranges = catalog()
  await step('bundles: a fresh project with only the required dependencies', async () => {
    mkdirSync(join(dir, 'entries'), { recursive: true })
    mkdirSync(join(dir, 'app/api'), { recursive: true })
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'bundles', private: true, type: 'module' }, null, 2),
    )
    for (const specifier of specifiers) {
      writeFileSync(
        join(dir, 'entries', `${slug(specifier)}.mjs`),
        `export * from '${specifier}'\n`,
      )
    }
    const deps = [
      ...Object.values(packed),
      `pusher-js@${ranges['pusher-js']}`,
      `react@${ranges.react}`,
      `react-dom@${ranges['react-dom']}`,
      `next@${ranges.next}`,
      `esbuild@${ranges.esbuild}`,
      'webpack@^5',
    ]
    await npmInstall(dir, deps)
    const optional = [
      '@auth/core',
      'next-auth',
      'better-auth',
      'express',
      'ioredis',
      'pusher',
    ].filter((name) => existsSync(join(dir, 'node_modules', name)))
    console.log(`installed: the 3 tarballs, pusher-js, react, react-dom, next, esbuild, webpack`)
    console.log(`optional peers present: ${optional.join(', ') || 'none'}`)
    if (optional.length > 0)
      throw new Error(`optional peers were installed: ${optional.join(', ')}`)
  })
  await bundleWithEsbuildAndWebpack(dir, required)
  await step(
    `Turbopack (next build): ${required.length} entry point(s) in route handlers and a client page`,
    async () => {
      const server = required.filter((s) => !isBrowser(s))
      const browser = required.filter(isBrowser)
      for (const specifier of server) {
        const route = join(dir, 'app/api', slug(specifier))
        mkdirSync(route, { recursive: true })
        writeFileSync(
          join(route, 'route.js'),
          `import * as entry from '${specifier}'\n\nexport function GET() {\n  return Response.json(Object.keys(entry))\n}\n`,
        )
      }
      writeFileSync(
        join(dir, 'app/layout.jsx'),
        `export default function Layout({ children }) {\n  return <html lang="en"><body>{children}</body></html>\n}\n`,
      )
      writeFileSync(
        join(dir, 'app/page.jsx'),
        `'use client'\n${browser.map((s, i) => `import * as e${i} from '${s}'`).join('\n')}\n\nexport default function Page() {\n  return <p>{[${browser.map((_, i) => `Object.keys(e${i}).length`).join(', ')}].join(' ')}</p>\n}\n`,
      )
      await nextBuild(dir, /Next\.js|Compiled|[┌├└]/)
      console.log(`  client page imports: ${browser.join(', ')}`)
    },
  )
  await step(`bundles: add @auth/core, the required dependency of ${AUTH_JS_ENTRY}`, async () => {
    await npmInstall(dir, [`@auth/core@${ranges['@auth/core']}`])
    const version = JSON.parse(
      readFileSync(join(dir, 'node_modules/@auth/core/package.json'), 'utf8'),
    ).version
    console.log(`installed @auth/core ${version}`)
  })
  await bundleWithEsbuildAndWebpack(dir, [AUTH_JS_ENTRY])
  await step(
    `bundles: swap @auth/core for next-auth, the required dependency of ${NEXT_AUTH_ENTRY}`,
    async () => {
      await run('npm', ['uninstall', '--no-audit', '--no-fund', '--loglevel=error', '@auth/core'], {
        cwd: dir,
      })
      await npmInstall(dir, [`next-auth@${ranges['next-auth']}`])
      const version = JSON.parse(
        readFileSync(join(dir, 'node_modules/next-auth/package.json'), 'utf8'),
      ).version
      console.log(`installed next-auth ${version}`)
    },
  )
  await bundleWithEsbuildAndWebpack(dir, [NEXT_AUTH_ENTRY])
}
