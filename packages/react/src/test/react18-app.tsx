/**
 * The React 18 side of the peer-range tests: bundled by {@link loadReact18} with `react` and
 * `react-dom` aliased to React 18.3, so the hooks below run on React 18's
 * `useSyncExternalStore`, `useInsertionEffect` and StrictMode.
 */
import type { PresenceClient } from '@presence/client'
import { StrictMode, version } from 'react'
import { createRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { PresenceProvider, useChannel, usePresence } from '../index.js'
import { Everything } from './Everything.js'

export { version }

/** `renderToString` of the every-hook tree, with a provider given `options` (never created). */
export function renderEverything(): string {
  return renderToString(
    <PresenceProvider
      options={{ pusher: { key: 'app-key', cluster: 'local' }, auth: { endpoint: '/auth' } }}
    >
      <Everything />
    </PresenceProvider>,
  )
}

function Room({ name }: { name: string }) {
  const { status, count, me } = usePresence(name)
  const feed = useChannel(`private-feed@${name}`)
  return (
    <p>
      {status} {count} {me?.id} {feed.status}
    </p>
  )
}

/**
 * Mounts a presence room and a private feed under StrictMode with React 18's `createRoot`.
 *
 * @returns a function that unmounts.
 */
export function mountStrict(container: Element, client: PresenceClient, name: string): () => void {
  const root = createRoot(container)
  root.render(
    <StrictMode>
      <PresenceProvider client={client}>
        <Room name={name} />
      </PresenceProvider>
    </StrictMode>,
  )
  return () => root.unmount()
}
