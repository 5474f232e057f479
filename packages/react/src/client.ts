import { createPresenceClient, InvalidEventError, PresenceClientError } from '@presence/client'

// The `@presence/client` runtime values the hooks use, imported in this one module so a
// bundler emits a single `import` from it (see `react.ts`).

export { createPresenceClient, InvalidEventError, PresenceClientError }

/**
 * The error thrown by hooks used outside a {@link PresenceProvider} (development builds only).
 *
 * @returns a `PresenceClientError` with code `PROVIDER_MISSING`.
 * @internal
 */
export const providerMissing = (): PresenceClientError =>
  new PresenceClientError(
    'PROVIDER_MISSING',
    '@presence/react hooks need a client: wrap the tree in <PresenceProvider client={…}> or <PresenceProvider options={…}>.',
  )
