import type { MessengerMemberInfo } from './presence'

/**
 * The app's channels, declared once: `presence-messenger`'s members carry the `user_info` that
 * `lib/presence.ts` signs. With this map, `usePresence('presence-messenger')`,
 * `useMembers('presence-messenger', …)` and `useMemberList('presence-messenger')` know each
 * member's `info`, and a channel name outside the map is a compile error.
 */
export type AppChannels = {
  'presence-messenger': { member: MessengerMemberInfo }
}

declare module '@presence/react' {
  interface Register {
    channels: AppChannels
  }
}
