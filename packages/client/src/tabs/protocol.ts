import type { AnyState } from '../channel-map.js'
import type { PresenceUser } from '../options.js'
import type {
  ConnectionState,
  Member,
  MemberSnapshot,
  RecoverySnapshot,
  SignInSnapshot,
} from '../snapshots.js'

/**
 * What one tab wants from the shared connection, by channel name: a channel is listed while
 * the tab holds a reference on it, binds a handler to it or listens to its store.
 * @internal
 */
export type Interest = Record<
  string,
  {
    /** References held (`subscribe` minus `release`). */
    readonly held: number
    /** How many times the tab has called `subscribe` on it: a rise asks a refused channel again. */
    readonly acquires: number
    /** Event names with at least one handler. */
    readonly events: readonly string[]
  }
>

/** A {@link MemberSnapshot} as it crosses a `BroadcastChannel`: the members as a list. @internal */
export type WireSnapshot = Omit<MemberSnapshot, 'members'> & { readonly members: readonly Member[] }

/** The values every tab mirrors from the leader. @internal */
export interface SharedValues {
  readonly user: PresenceUser | null | undefined
  readonly connection: ConnectionState
  readonly recovery: RecoverySnapshot
  readonly signIn: SignInSnapshot
  readonly online: readonly string[]
}

/**
 * The messages between the tabs of one origin. Every tab hears every message (but its own).
 *
 * - `interest`: a tab's whole {@link Interest}, sent when it changes. Every tab keeps the
 *   table of all tabs' interests, so the tab that takes the lead knows the union at once.
 * - `hello`: a tab starts (or resumes); the leader answers with `state`.
 * - `bye`: a tab is leaving (destroyed, or its page is hidden for good).
 * - `state`: the leader's announcement (taking the lead, or answering `hello`): the table of
 *   interests, the shared values and the snapshot of every channel some tab cares about.
 * - `values`: some of the shared values changed.
 * - `members`: a channel's snapshot changed.
 * - `event`: a channel event, for the tabs that bound a handler to it.
 * - `user`: `setUser` in some tab; every tab applies it.
 * - `call`: a follower asks the leader to act on the connection: disconnect it, merge a patch
 *   into this user's live state on a channel, or whisper on a channel.
 * - `ping` / `pong`: a tab the user looks at checks that the leader answers.
 * @internal
 */
export type TabMessage =
  | { readonly t: 'interest'; readonly tab: string; readonly interest: Interest }
  | { readonly t: 'hello'; readonly tab: string }
  | { readonly t: 'bye'; readonly tab: string }
  | {
      readonly t: 'state'
      readonly tab: string
      readonly table: ReadonlyArray<readonly [string, Interest]>
      readonly values: SharedValues
      readonly channels: ReadonlyArray<readonly [string, WireSnapshot]>
    }
  | { readonly t: 'values'; readonly values: Partial<SharedValues> }
  | { readonly t: 'members'; readonly name: string; readonly snapshot: WireSnapshot }
  | { readonly t: 'event'; readonly name: string; readonly event: string; readonly data: unknown }
  | { readonly t: 'user'; readonly user: PresenceUser | null }
  | { readonly t: 'call'; readonly method: 'disconnect' }
  | {
      readonly t: 'call'
      readonly method: 'state'
      readonly name: string
      readonly patch: AnyState
    }
  | {
      readonly t: 'call'
      readonly method: 'whisper'
      readonly name: string
      readonly event: string
      readonly data: unknown
    }
  | { readonly t: 'ping'; readonly tab: string }
  | { readonly t: 'pong'; readonly tab: string }

/**
 * Turns a snapshot into what a `BroadcastChannel` can carry (structured clone keeps plain
 * objects, arrays and maps; the member map is a class of its own).
 * @internal
 */
export const toWire = (snapshot: MemberSnapshot): WireSnapshot => ({
  ...snapshot,
  members: [...snapshot.members.values()],
})

/** Rebuilds a snapshot received from the leader. @internal */
export const fromWire = (wire: WireSnapshot): MemberSnapshot => ({
  ...wire,
  members: new Map(wire.members.map((member) => [member.id, member])),
})
