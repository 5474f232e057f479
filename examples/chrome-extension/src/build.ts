import { copyFile, mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import type { ExtensionConfig } from './shared/protocol.js'

/** The unpacked extension's folder: `manifest.json`, `popup.html`, and `dist/` once built. */
export const EXTENSION_DIR = fileURLToPath(new URL('../extension/', import.meta.url))
const SOURCE_DIR = dirname(fileURLToPath(import.meta.url))
const STATIC_FILES = ['manifest.json', 'popup.html']

const require = createRequire(import.meta.url)

/**
 * Resolves a bare `pusher-js` import (e.g. a library's) to the worker build too, so exactly
 * one pusher-js, the one that runs in a service worker, ends up in the bundle.
 */
const pusherJsWorkerBuild: Plugin = {
  name: 'pusher-js-worker-build',
  setup(build) {
    build.onResolve({ filter: /^pusher-js$/ }, () => ({
      path: require.resolve('pusher-js/worker'),
    }))
  },
}

/** The configuration a fresh install starts from (a local `pnpm dev`). */
export const DEV_CONFIG: ExtensionConfig = {
  backendUrl: 'http://127.0.0.1:3000',
  pusherKey: 'app-key',
  wsHost: '127.0.0.1',
  wsPort: 6001,
  forceTLS: false,
  pollIntervalMs: 5_000,
}

/** Options for {@link buildExtension}. */
export interface BuildExtensionOptions {
  /**
   * Where to write the unpacked extension. The static files are copied there unless it is
   * the source folder itself.
   * @default EXTENSION_DIR (built in place: `extension/dist/`)
   */
  outDir?: string
  /** Baked-in defaults, overridden at run time by `chrome.storage.local.config`. @default DEV_CONFIG */
  defaults?: ExtensionConfig
  /** @default false */
  minify?: boolean
}

/**
 * Bundles the service worker and the popup with esbuild into `<outDir>/dist/`. Workspace
 * packages resolve to their sources (`source` condition), and `pusher-js` resolves to its
 * worker build, which needs neither `window` nor XHR (an MV3 service worker has neither).
 *
 * @returns the folder to pass to `--load-extension`
 * @example
 * const dir = await buildExtension({ outDir: '/tmp/extension' })
 */
export async function buildExtension(options: BuildExtensionOptions = {}): Promise<string> {
  const outDir = options.outDir ?? EXTENSION_DIR
  await mkdir(join(outDir, 'dist'), { recursive: true })
  if (outDir !== EXTENSION_DIR) {
    await Promise.all(
      STATIC_FILES.map((file) => copyFile(join(EXTENSION_DIR, file), join(outDir, file))),
    )
  }
  await build({
    entryPoints: {
      background: join(SOURCE_DIR, 'extension/background.ts'),
      popup: join(SOURCE_DIR, 'extension/popup.ts'),
    },
    outdir: join(outDir, 'dist'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome116',
    plugins: [pusherJsWorkerBuild],
    define: {
      __PRESENCE_DEFAULT_CONFIG__: JSON.stringify(options.defaults ?? DEV_CONFIG),
    },
    sourcemap: 'linked',
    minify: options.minify ?? false,
    logLevel: 'warning',
  })
  return outDir
}
