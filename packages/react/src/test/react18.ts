import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The exports of `react18-app.tsx`, built against React 18. */
export type React18App = typeof import('./react18-app.js')

const here = dirname(fileURLToPath(import.meta.url))
const pkg = join(here, '../..')

/**
 * Bundles `react18-app.tsx` (with this package's source) against React 18.3 — `react` and
 * `react-dom` aliased to the `react-18` / `react-dom-18` devDependencies, React's own imports
 * included — and loads it. pusher-js stays external (its Node build).
 *
 * @returns the app module.
 */
export async function loadReact18(): Promise<React18App> {
  // One file per load: the unit and integration projects may build at the same time.
  const out = join(pkg, `node_modules/.cache/react18/app-${process.pid}-${Date.now()}.cjs`)
  await build({
    entryPoints: [join(here, 'react18-app.tsx')],
    // The aliases resolve from here, where react-18 / react-dom-18 are installed.
    absWorkingDir: pkg,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    conditions: ['source'],
    alias: { react: 'react-18', 'react-dom': 'react-dom-18' },
    external: ['pusher-js'],
    define: { 'process.env.NODE_ENV': '"development"' },
    outfile: out,
    logLevel: 'silent',
  })
  try {
    return createRequire(import.meta.url)(out) as React18App
  } finally {
    await rm(out, { force: true })
  }
}
