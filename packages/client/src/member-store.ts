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
}

/**
 * The status and members of one channel, as immutable {@link MemberSnapshot}s.
 *
 * Every method is O(1) except `replace` (O(n), once per subscription) and
 * `reset` (O(n) to report departures to the online view).
 *
 * @internal
 */
export interface MemberStore extends WritableStore<MemberSnapshot> {
  /** Empties the map, forgets early member events, and sets the status (unsubscribe, disconnect, failure). */
  reset(status: ChannelStatus, error?: ChannelError | null): void
  /**
   * Replaces the map with the members of a `subscription_succeeded`, then applies the
   * `add` / `remove` calls made while `subscribing`, in order; status `subscribed`.
   */
  replace(members: PusherMembers): void
  /** Adds or updates a member (a repeated `member_added` is harmless). */
  add(id: string, info: unknown): void
  /** Removes a member. */
  remove(id: string): void
}

/**
 * Creates the store of one channel.
 *
 * @param onDelta - told about every user id entering or leaving the map (the online view).
 * @param hooks - told when the store gains its first listener and loses its last.
 * @returns the store, `idle` and empty.
 * @internal
 */
export function createMemberStore(onDelta: MemberDelta, hooks?: StoreHooks): MemberStore {
  const store = createStore(snapshot('idle', new MemberMap()), hooks)
  const leaveAll = () => {
    for (const id of store.getSnapshot().members.keys()) onDelta(id, -1)
  }
  // Adds (`added`) or removes one member: O(1).
  const write = (id: unknown, added: boolean, info?: unknown) => {
    const { status, members, me, error } = store.getSnapshot()
    const key = String(id)
    const had = members.has(key)
    if (!added && !had) return
    if (added !== had) onDelta(key, added ? 1 : -1)
    const member = added ? { id: key, info } : undefined
    store.set(
      snapshot(
        status,
        (members as MemberMap<Member>).with(key, member),
        member && me?.id === key ? member : me,
        error,
      ),
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
  const replace = (members: PusherMembers) => {
    leaveAll()
    const map = new Map<string, Member>()
    members.each(({ id, info }) => {
      const key = String(id)
      if (!map.has(key)) onDelta(key, 1)
      map.set(key, { id: key, info })
    })
    store.set(snapshot('subscribed', new MemberMap(map), map.get(String(members.myID)) ?? null))
    const pending = early
    early = []
    for (const [id, added, info] of pending) write(id, added, info)
  }
  const event = (id: unknown, added: boolean, info?: unknown) => {
    if (store.getSnapshot().status === 'subscribing') early.push([id, added, info])
    else write(id, added, info)
  }
  return {
    ...store,
    reset,
    replace,
    add: (id, info) => event(id, true, info),
    remove: (id) => event(id, false),
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
