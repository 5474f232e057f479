/**
 * The `@presence/client` runtime values the hooks use, imported once so a bundler emits a
 * single `import` from it (see `react.ts`).
 *
 * @internal
 */
export { createPresenceClient, PresenceClientError } from '@presence/client'
