/**
 * Bundles a conformance entry with esbuild from the TypeScript sources (the
 * `source` condition), the way an app's bundler would for that runtime:
 * Node/Bun/Deno get the `node` condition, workerd gets wrangler's
 * conditions (`workerd`, `worker`, `browser`). Values known only at run
 * time (the fixture) are inlined with `define`.
 * @module
 */
import { build } from 'esbuild'

/** What to bundle and for which platform. */
export interface BundleOptions {
  /** The entry file: a name relative to this folder (`entry.ts`, `worker.ts`) or a `file:` URL (another package's entry, such as the signing benchmark's). */
  entry: string | URL
  /** `node` for script runtimes, `workerd` for Workers. */
  platform: 'node' | 'workerd'
  /** Global identifiers replaced by JSON values. */
  define: Record<string, unknown>
  /** Where to write the bundle. */
  outfile: string
}

/**
 * Writes one ESM bundle.
 * @param options - entry, platform, defines, output file.
 */
export async function bundle(options: BundleOptions): Promise<void> {
  const define: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.define)) define[name] = JSON.stringify(value)
  await build({
    entryPoints: [new URL(options.entry, import.meta.url).pathname],
    outfile: options.outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
    define,
    ...(options.platform === 'node'
      ? {
          platform: 'node',
          conditions: ['source'],
          // CommonJS dependencies (ioredis) call require() for Node's modules: give the ESM bundle one.
          banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
          },
        }
      : {
          platform: 'neutral',
          mainFields: ['module', 'main'],
          conditions: ['source', 'workerd', 'worker', 'browser'],
          // With nodejs_compat, workerd provides the node: modules a dependency may import.
          external: ['node:*'],
        }),
  })
}
