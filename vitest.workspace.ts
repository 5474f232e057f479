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
 * The `source` condition makes workspace packages resolve to `src/`, so no build is needed.
 */
const packages = ['server', 'client', 'react', 'testing', 'build', 'reliability']
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
/** The registered channel map's type tests: compiled by their own tsconfig (see `react:types`). */
const registeredMap = 'src/channel-map.test-d.tsx'

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
            typecheck: {
              enabled: true,
              include: ['src/**/*.test-d.{ts,tsx}'],
              exclude: [registeredMap, '**/node_modules/**'],
              tsconfig: 'tsconfig.json',
            },
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
        test: {
          name: 'examples:integration',
          root: 'examples',
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
        },
      },
    ],
  },
})
