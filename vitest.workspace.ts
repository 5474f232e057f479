import { defineConfig } from 'vitest/config'

/**
 * The one vitest config of the repository (vitest 4 projects).
 *
 * - `<pkg>:unit` — fast tests, no servers: `src/**\/*.test.ts(x)`.
 * - `<pkg>:integration` — real soketi / redis-server / Chromium: `*.integration.test.ts(x)`.
 *
 * `pnpm test` runs every project, `pnpm test:unit` only the unit ones.
 * The `source` condition makes workspace packages resolve to `src/`, so no build is needed.
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
          name: 'docs:unit',
          root: 'docs',
          include: ['**/*.test.ts'],
        },
      },
    ],
  },
})
