import type { Session } from '../session/types.js'
import type { ChannelDefinition, ChannelDefinitions } from './definition.js'

/**
 * Declare the app's session type here, once, by module augmentation, so that definitions
 * written in their own files (with {@link defineChannel} / {@link defineChannels}) type
 * `ctx.user` like the server's session adapter does:
 *
 * ```ts
 * declare module '@presence/server' {
 *   interface Register {
 *     session: AppSession
 *   }
 * }
 * ```
 *
 * Inside `createPresenceServer({ session, channels })`, `ctx.user` already follows the
 * adapter's type without it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the app's module augmentation
export interface Register {}

/** The session type declared in {@link Register}, or {@link Session}. */
export type RegisteredSession = Register extends { session: infer S extends Session } ? S : Session

/** One pattern and its definition, as {@link defineChannel} returns them. */
export type DefinedChannel<P extends string, S extends Session = RegisteredSession> = {
  readonly [K in P]: ChannelDefinition<P, S>
}

/**
 * Defines one channel in its own file, with `params` typed from the pattern and `user` from
 * the registered session type, without repeating the pattern as a type argument. Spread the
 * results into `createPresenceServer`'s `channels`.
 *
 * @typeParam P - the pattern (inferred).
 * @typeParam C - the `cache` option as written (inferred): under `scope: 'channel'` the
 *   authorizer's `ctx` has no `user`.
 * @param pattern - the channel pattern, e.g. `'private-stream@{streamId}'`.
 * @param definition - the definition object, or a bare authorize function.
 * @returns `{ [pattern]: definition }`.
 * @example
 * ```ts
 * // channels/stream.ts
 * export const stream = defineChannel('private-stream@{streamId}', {
 *   priority: 'high',
 *   authorize: async ({ params, user }) => canWatch(user.userId, params.streamId),
 * })
 * // server.ts
 * createPresenceServer({ signer, session, channels: { ...stream, ...feed } })
 * ```
 */
export function defineChannel<const P extends string, C = unknown>(
  pattern: P,
  definition: ChannelDefinition<P, RegisteredSession, C>,
): DefinedChannel<P> {
  return { [pattern]: definition } as DefinedChannel<P>
}

/**
 * Defines several channels in their own file, each definition's `params` typed from its
 * pattern and `user` from the registered session type. Returns them unchanged.
 *
 * @typeParam K - the patterns (inferred).
 * @typeParam C - pattern → the definition's `cache` option as written (inferred): under
 *   `scope: 'channel'` the authorizer's `ctx` has no `user`.
 * @param channels - pattern → definition.
 * @returns the same object, typed.
 * @example
 * ```ts
 * export const sessionChannels = defineChannels({
 *   'private-session-{sessionId}': ({ params, user }) => owns(user, params.sessionId),
 *   'presence-session-{sessionId}': ({ user }) => ({ user_id: user.userId }),
 * })
 * ```
 */
export function defineChannels<const K extends string, C = Record<K, unknown>>(
  channels: ChannelDefinitions<K, RegisteredSession, C>,
): { [P in keyof C]: ChannelDefinition<P & string, RegisteredSession> } {
  return channels
}
