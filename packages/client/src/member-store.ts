import type { AnyState } from './channel-map.js'
import type { ChannelError } from './errors.js'
import { MemberMap } from './member-map.js'
import type { ChannelStatus, Member, MemberSnapshot } from './snapshots.js'
import { createStore, type StoreHooks, type WritableStore } from './store.js'

/** Called when a user id enters (+1) or leaves (-1) a channel's member map. @internal */
export type MemberDelta = (id: string, delta: 1 | -1) => void

/** The subset of pusher-js's `Members` read on `subscription_succeeded`. @internal */
export interface PusherMembers {
  each(fn: (member: { id: unknown; info: unknown }) => void): void
  myID?: unknown
  /** The server's count of members (`presence.count`). */
  count?: unknown
}

// The literal `process.env.NODE_ENV` is what bundlers replace (see errors.ts).
declare const process: { env: { NODE_ENV?: string } }

/** The state of a member who published none. */
const NO_STATE: AnyState = Object.freeze({})

/**
 * The status and members of one channel, as immutable {@link MemberSnapshot}s.
 *
 * Every method is O(1) except `replace` (O(n), once per subscription) and
 * `reset` (O(n) to report departures to the online view).
 *
 * @internal
 */
export interface MemberStore extends WritableStore<MemberSnapshot> {
  /** Empties the map, forgets early member events, and sets the status (unsubscribe, failure). */
  reset(status: ChannelStatus, error?: ChannelError | null): void
  /** Keeps the members while the connection is re-established: status `reconnecting`. */
  hold(): void
  /**
   * Reconciles the map with the members of a `subscription_succeeded` (only the differences
   * change it: after a reconnection, members that stayed are not announced again), then
   * applies the `add` / `remove` calls made while `subscribing`, in order; status `subscribed`.
   */
  replace(members: PusherMembers): void
  /** Adds or updates a member (a repeated `member_added` is harmless). */
  add(id: string, info: unknown): void
  /** Removes a member, after the leave grace. */
  remove(id: string): void
  /** Replaces a present member's live state. */
  setState(id: string, state: AnyState): void
  /** Records an error on a subscribed channel, keeping its status and members. */
  report(error: ChannelError): void
}

/** Options of {@link createMemberStore}. @internal */
export interface MemberStoreOptions extends StoreHooks {
  /**
   * How long a removed member stays, in milliseconds: re-added within it, it never left.
   * @default 0 (removed at once)
   */
  leaveGraceMs?: number
}

/** Whether two `user_info` values are the same (a re-join signs the same info again). */
const sameInfo = (a: unknown, b: unknown): boolean =>
  Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b)

/**
 * Creates the store of one channel.
 *
 * @param onDelta - told about every user id entering or leaving the map (the online view).
 * @param options - the leave grace, and hooks told when the store gains its first listener
 *   and loses its last.
 * @returns the store, `idle` and empty.
 * @internal
 */
export function createMemberStore(
  onDelta: MemberDelta,
  { leaveGraceMs = 0, ...hooks }: MemberStoreOptions = {},
): MemberStore {
  const store = createStore(snapshot('idle', new MemberMap()), hooks)
  /** Members removed by the server, still shown until their grace ends. */
  const leaving = new Map<string, ReturnType<typeof setTimeout>>()
  const stayed = (id: string) => {
    clearTimeout(leaving.get(id))
    leaving.delete(id)
  }
  const leaveAll = () => {
    for (const id of leaving.keys()) stayed(id)
    for (const id of store.getSnapshot().members.keys()) onDelta(id, -1)
  }
  // Adds (`added`) or removes one member: O(1).
  const write = (id: unknown, added: boolean, info?: unknown) => {
    const { status, members, me, error } = store.getSnapshot()
    const key = String(id)
    stayed(key)
    const had = members.has(key)
    if (!added && !had) return
    if (added !== had) onDelta(key, added ? 1 : -1)
    const member = added ? { id: key, info, state: members.get(key)?.state ?? NO_STATE } : undefined
    store.set(
      snapshot(
        status,
        (members as MemberMap<Member>).with(key, member),
        member && me?.id === key ? member : me,
        error,
      ),
    )
  }
  const join = (id: unknown, info: unknown) => {
    const key = String(id)
    const current = store.getSnapshot().members.get(key)
    // Back within the grace with the same info: it never left, nobody hears of it.
    if (leaving.has(key) && current && sameInfo(current.info, info)) return stayed(key)
    write(key, true, info)
  }
  const leave = (id: unknown) => {
    const key = String(id)
    if (leaveGraceMs <= 0) return write(key, false)
    if (leaving.has(key) || !store.getSnapshot().members.has(key)) return
    leaving.set(
      key,
      setTimeout(() => write(key, false), leaveGraceMs),
    )
  }

  // Member events that arrive while subscribing: pusher-js's `subscription_succeeded` snapshot
  // replaces them, yet they can be news the snapshot lacks (soketi's Redis adapter announces a
  // concurrent join that way). Applied in arrival order on top of the snapshot.
  let early: Array<[id: unknown, added: boolean, info?: unknown]> = []

  const reset = (status: ChannelStatus, error: ChannelError | null = null) => {
    early = []
    const current = store.getSnapshot()
    if (current.status === status && current.error === error && !current.count) return
    leaveAll()
    store.set(snapshot(status, new MemberMap(), null, error))
  }
  const hold = () => {
    early = []
    const { status, members, me } = store.getSnapshot()
    if (status !== 'reconnecting')
      store.set(snapshot('reconnecting', members as MemberMap<Member>, me))
  }
  const replace = (members: PusherMembers) => {
    const current = store.getSnapshot()
    const next = new Map<string, Member>()
    members.each(({ id, info }) => {
      const key = String(id)
      const kept = current.members.get(key)
      // A member who stayed keeps its object, so selections of it do not change.
      next.set(
        key,
        kept && sameInfo(kept.info, info)
          ? kept
          : { id: key, info, state: kept?.state ?? NO_STATE },
      )
    })
    // soketi lists only members whose channel_data has a user_info, yet counts them all.
    if (
      typeof process < 'u' &&
      process.env.NODE_ENV !== 'production' &&
      typeof members.count === 'number' &&
      members.count !== next.size
    ) {
      console.warn(
        `@presence/client: the server counts ${members.count} members but listed ${next.size}: members without user_info? soketi leaves them out of the member list; have the authorizer return a user_info (even {}) for every member.`,
      )
    }
    const myId = String(members.myID)
    if (current.count === 0) {
      for (const key of next.keys()) onDelta(key, 1)
      store.set(snapshot('subscribed', new MemberMap(next), next.get(myId) ?? null))
    } else {
      // A reconnection: only the differences change the map (and reach listeners).
      let map = current.members as MemberMap<Member>
      for (const [key, member] of next) {
        stayed(key)
        if (map.get(key) === member) continue
        if (!map.has(key)) onDelta(key, 1)
        map = map.with(key, member)
      }
      store.set(snapshot('subscribed', map, next.get(myId) ?? null))
      for (const key of current.members.keys()) if (!next.has(key)) leave(key)
    }
    const pending = early
    early = []
    for (const [id, added, info] of pending) added ? join(id, info) : leave(id)
  }
  const setState = (id: string, state: AnyState) => {
    const { status, members, me, error } = store.getSnapshot()
    const member = members.get(id)
    if (!member) return
    const updated = { ...member, state }
    store.set(
      snapshot(
        status,
        (members as MemberMap<Member>).with(id, updated),
        me?.id === id ? updated : me,
        error,
      ),
    )
  }
  const report = (error: ChannelError) => {
    const { status, members, me } = store.getSnapshot()
    store.set(snapshot(status, members as MemberMap<Member>, me, error))
  }
  const event = (id: unknown, added: boolean, info?: unknown) => {
    const { status } = store.getSnapshot()
    if (status === 'subscribing' || status === 'reconnecting') early.push([id, added, info])
    else if (added) join(id, info)
    else leave(id)
  }
  return {
    ...store,
    reset,
    hold,
    replace,
    add: (id, info) => event(id, true, info),
    remove: (id) => event(id, false),
    setState,
    report,
  }
}

function snapshot(
  status: ChannelStatus,
  members: MemberMap<Member>,
  me: Member | null = null,
  error: ChannelError | null = null,
): MemberSnapshot {
  return { status, members, me, count: members.size, error }
}
