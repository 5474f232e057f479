import type { MessengerMemberInfo } from './presence'

/**
 * What each member of `presence-messenger` publishes about itself, live, on top of the
 * `user_info` the server signed: `typing` while the user writes a message. Every signed-in
 * member sees it, so it says only *that* someone is typing, never to whom.
 */
export interface MessengerMemberState {
  typing?: boolean
}

/**
 * The app's channels, declared once: `presence-messenger`'s members carry the `user_info` that
 * `lib/presence.ts` signs and the live {@link MessengerMemberState}. With this map,
 * `usePresence('presence-messenger')`, `useMembers('presence-messenger', …)`,
 * `useOthers('presence-messenger', …)` and `useMyState('presence-messenger')` know each
 * member's `info` and `state`, and a channel name outside the map is a compile error.
 */
export type AppChannels = {
  'presence-messenger': { member: MessengerMemberInfo; state: MessengerMemberState }
}

declare module '@presence/react' {
  interface Register {
    channels: AppChannels
  }
}
