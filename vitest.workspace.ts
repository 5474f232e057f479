import { defineConfig } from 'vitest/config'

/**
 * The one vitest config of the repository (vitest 4 projects).
 *
 * - `<pkg>:unit` — fast tests, no servers: `src/**\/*.test.ts(x)`.
 * - `<pkg>:integration` — real soketi / redis-server / Chromium: `*.integration.test.ts(x)`.
 * - type tests: `src/**\/*.test-d.ts(x)` run by vitest's typecheck mode (`tsc` with the
 *   package's tsconfig) inside `<pkg>:unit`; `react:types` compiles the registered channel map
 *   apart, because its `Register` augmentation is global to its program.
 *
 * `pnpm test` runs every project, `pnpm test:unit` only the unit ones.
 * The `source` condition makes workspace packages resolve to `src/`. The examples use the
 * packages as apps outside the repository do (esbuild bundles of the Chrome extension and of the
 * Express front end, `next build`), through their `dist`: the `examples:integration` project's
 * global setup builds it, when missing or older than the sources, before any test of the run
 * starts (`packages/build/src/built-packages.ts`), so a fresh clone passes as is.
 */
const packages = ['server', 'client', 'react', 'testing', 'build', 'reliability', 'conformance']
/** `@presence/client` must work without React: its projects resolve `react` to an empty module. */
const reactStub = (pkg: string) =>
  pkg === 'client'
    ? {
        resolve: {
          alias: {
            react: new URL('./packages/client/test/react-stub.ts', import.meta.url).pathname,
          },
        },
      }
    : {}
const integrationTimeouts = { testTimeout: 60_000, hookTimeout: 120_000 }
/**
 * Unit tests share the machine with the integration suites (soketi, Chromium, next build) when
 * `pnpm test` runs everything at once; some do real work (property tests, real better-auth
 * sign-ins, the layering lint). 20 s still stops a hung test, without failing one that a busy
 * two-core machine slowed past vitest's default 5 s.
 */
const unitTimeouts = { testTimeout: 20_000 }
/** The registered channel map's type tests: compiled by their own tsconfig (see `react:types`). */
const registeredMap = 'src/channel-map.test-d.tsx'
/** The published packages' type tests, run in their unit project. */
const typeTests = (pkg: string) =>
  ['server', 'client', 'react'].includes(pkg)
    ? {
        typecheck: {
          enabled: true,
          include: ['src/**/*.test-d.{ts,tsx}'],
          exclude: [registeredMap, '**/node_modules/**'],
          tsconfig: 'tsconfig.json',
        },
      }
    : {}
/**
 * The oldest pusher-js of `@presence/client`'s peer range, installed under the alias
 * `pusher-js-floor`. The client reaches into a few pusher-js internals
 * (`packages/client/src/pusher-internals.ts`), so its integration suite runs twice:
 * against the workspace's pusher-js (the latest 8.x) and against this one.
 */
const PUSHER_JS_FLOOR = '8.3.0'

export default defineConfig({
  resolve: { conditions: ['source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    reporters: process.env.CI_JSON_REPORT
      ? ['default', ['json', { outputFile: process.env.CI_JSON_REPORT }]]
      : ['default'],
    projects: [
      ...packages.flatMap((pkg) => [
        {
          extends: true,
          ...reactStub(pkg),
          test: {
            name: `${pkg}:unit`,
            root: `packages/${pkg}`,
            include: ['src/**/*.test.{ts,tsx}'],
            exclude: ['**/*.integration.test.{ts,tsx}', '**/node_modules/**'],
            ...unitTimeouts,
            ...typeTests(pkg),
          },
        },
        {
          extends: true,
          ...reactStub(pkg),
          test: {
            name: `${pkg}:integration`,
            root: `packages/${pkg}`,
            include: ['src/**/*.integration.test.{ts,tsx}'],
            ...integrationTimeouts,
          },
        },
      ]),
      {
        extends: true,
        resolve: {
          alias: [
            { find: 'react', replacement: reactStub('client').resolve?.alias.react as string },
            { find: /^pusher-js(\/.*)?$/, replacement: 'pusher-js-floor$1' },
          ],
        },
        test: {
          name: `client:integration:pusher-js-${PUSHER_JS_FLOOR}`,
          root: 'packages/client',
          include: ['src/**/*.integration.test.ts'],
          // Child processes (worker build, heap measurement) load the same pusher-js.
          env: { PUSHER_JS_PACKAGE: 'pusher-js-floor', PUSHER_JS_VERSION: PUSHER_JS_FLOOR },
          ...integrationTimeouts,
        },
      },
      {
        extends: true,
        test: {
          name: 'examples:integration',
          root: 'examples',
          globalSetup: [
            new URL('./packages/build/src/built-packages.ts', import.meta.url).pathname,
          ],
          include: ['*/**/*.integration.test.{ts,tsx}'],
          exclude: ['**/node_modules/**', '**/.next/**', '**/dist/**'],
          ...integrationTimeouts,
        },
      },
      {
        extends: true,
        test: {
          name: 'react:types',
          root: 'packages/react',
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: [registeredMap],
            tsconfig: 'tsconfig.channel-map.json',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'docs:unit',
          root: 'docs',
          include: ['**/*.test.ts'],
          ...unitTimeouts,
        },
      },
    ],
  },
})
