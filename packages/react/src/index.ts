/**
 * `@presence/react`: hooks over `@presence/client` for private and presence channels on
 * Pusher-protocol servers (Pusher Channels, Sockudo, soketi), with selectors, safe under
 * StrictMode and server rendering. Every hook reads through `useSyncExternalStore`; importing
 * the package touches no browser global and opens no socket.
 *
 * It re-exports what a React app needs from `@presence/client` (`createPresenceClient`, the
 * errors and every type), so an app installs `@presence/react` and `pusher-js` only.
 *
 * @module
 */
export type * from '@presence/client'
export { createPresenceClient, InvalidEventError, PresenceClientError } from './client.js'
export { PresenceProvider, type PresenceProviderProps } from './PresenceProvider.js'
export { shallow } from './shallow.js'
export { useActiveChannel } from './useActiveChannel.js'
export { useActiveList } from './useActiveList.js'
export {
  type ChannelEventHandlers,
  type ChannelOptions,
  type ChannelState,
  useChannel,
} from './useChannel.js'
export { useConnectionState } from './useConnectionState.js'
export { useEvent } from './useEvent.js'
export { useIsOnline } from './useIsOnline.js'
export type { JoinOptions } from './useJoin.js'
export { useMemberList } from './useMemberList.js'
export { useMembers } from './useMembers.js'
export { useMyState } from './useMyState.js'
export { useOthers } from './useOthers.js'
export { usePresence } from './usePresence.js'
export { usePresenceClient } from './usePresenceClient.js'
export { useSelf } from './useSelf.js'
export { useWhisper } from './useWhisper.js'
