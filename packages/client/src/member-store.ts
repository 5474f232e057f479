import { MemberMap } from './member-map.js'
import { createStore, type WritableStore } from './store.js'
import type { ChannelError, ChannelStatus, Member, MemberSnapshot } from './types.js'

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
  /** Empties the map and sets the status (unsubscribe, disconnect, failure). */
  reset(status: ChannelStatus, error?: ChannelError | null): void
  /** Replaces the map with the members of a `subscription_succeeded`; status `subscribed`. */
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
 * @returns the store, `idle` and empty.
 * @internal
 */
export function createMemberStore(onDelta: MemberDelta): MemberStore {
  type Members = MemberMap<Member>
  const current = () => store.getSnapshot() as MemberSnapshot & { members: Members }
  const put = (s: Omit<MemberSnapshot, 'count'>) => store.set({ ...s, count: s.members.size })
  const leaveAll = () => {
    for (const id of current().members.keys()) onDelta(id, -1)
  }
  const reset: MemberStore['reset'] = (status, error = null) => {
    const s = current()
    if (s.status === status && s.error === error && !s.count) return
    leaveAll()
    put({ status, members: new MemberMap(), me: null, error })
  }
  const store = createStore<MemberSnapshot>({
    status: 'idle',
    members: new MemberMap(),
    me: null,
    count: 0,
    error: null,
  }) as MemberStore
  store.reset = reset
  store.replace = (members) => {
    leaveAll()
    const map = new Map<string, Member>()
    members.each(({ id, info }) => {
      const key = String(id)
      if (!map.has(key)) onDelta(key, 1)
      map.set(key, { id: key, info })
    })
    const me = members.myID == null ? null : (map.get(String(members.myID)) ?? null)
    put({ status: 'subscribed', members: new MemberMap(map), me, error: null })
  }
  store.add = (id, info) => {
    const s = current()
    const key = String(id)
    if (!s.members.has(key)) onDelta(key, 1)
    const member = { id: key, info }
    put({ ...s, members: s.members.with(key, member), me: s.me?.id === key ? member : s.me })
  }
  store.remove = (id) => {
    const s = current()
    const key = String(id)
    if (!s.members.has(key)) return
    onDelta(key, -1)
    put({ ...s, members: s.members.with(key, undefined) })
  }
  return store
}
