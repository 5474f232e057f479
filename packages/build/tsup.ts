import { defineConfig, type Options } from 'tsup'

/**
 * The one tsup configuration every public @presence package builds with:
 * ESM + CJS, `.d.ts` / `.d.cts`, sourcemaps, one entry per subpath export.
 *
 * @param entry - map of output name (without extension) to source file,
 *   e.g. `{ index: 'src/index.ts', express: 'src/express.ts' }`.
 * @param overrides - tsup options merged over the defaults (e.g. `external`).
 */
export function presenceTsup(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: true,
    target: 'es2022',
    platform: 'neutral',
    outDir: 'dist',
    ...overrides,
  })
}
