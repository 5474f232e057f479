/**
 * `@presence/react`: hooks over `@presence/client` for private and presence channels on
 * Pusher-protocol servers (Pusher Channels, Sockudo, soketi), with selectors, safe under
 * StrictMode and server rendering. Every hook reads through `useSyncExternalStore`; importing
 * the package touches no browser global and opens no socket.
 *
 * @module
 */
export { PresenceProvider, type PresenceProviderProps } from './PresenceProvider.js'
export { shallow } from './shallow.js'
export { useActiveChannel } from './useActiveChannel.js'
export { useActiveList } from './useActiveList.js'
export { type ChannelState, useChannel } from './useChannel.js'
export { useConnectionState } from './useConnectionState.js'
export { useEvent } from './useEvent.js'
export { useIsOnline } from './useIsOnline.js'
export type { JoinOptions } from './useJoin.js'
export { useMembers } from './useMembers.js'
export { usePresence } from './usePresence.js'
export { usePresenceClient } from './usePresenceClient.js'
