import { describe, expect, it } from 'vitest'
import { createMemberStore, type PusherMembers } from './member-store.js'
import { createOnlineStore } from './online-store.js'

/** The shape pusher-js hands to `pusher:subscription_succeeded` on presence channels. */
function pusherMembers(list: [string | number, unknown][], myID: string | number): PusherMembers {
  return {
    myID,
    each(fn) {
      for (const [id, info] of list) fn({ id, info })
    },
  }
}

describe('member store', () => {
  it('starts idle and empty, with a stable snapshot and server snapshot', () => {
    const store = createMemberStore(() => {})
    const s = store.getSnapshot()
    expect(s).toMatchObject({ status: 'idle', count: 0, me: null, error: null })
    expect(s.members.size).toBe(0)
    expect(store.getSnapshot()).toBe(s)
    expect(store.getServerSnapshot()).toBe(s)
  })

  it('replaces the map on subscription_succeeded and sets me before listeners run', () => {
    const store = createMemberStore(() => {})
    const seen: unknown[] = []
    store.subscribe(() => {
      const s = store.getSnapshot()
      seen.push([s.status, s.me, s.count])
    })
    store.add('ghost', {})
    store.replace(
      pusherMembers(
        [
          [1, { name: 'Ann' }],
          ['2', { name: 'Bob' }],
        ],
        1,
      ),
    )
    expect(seen.at(-1)).toEqual(['subscribed', { id: '1', info: { name: 'Ann' }, state: {} }, 2])
    expect(store.getSnapshot().members.has('ghost')).toBe(false)
    expect([...store.getSnapshot().members.keys()]).toEqual(['1', '2'])
  })

  it('creates a new snapshot per change and keeps old snapshots unchanged', () => {
    const store = createMemberStore(() => {})
    store.replace(pusherMembers([['a', 1]], 'a'))
    const before = store.getSnapshot()
    store.add('b', 2)
    const after = store.getSnapshot()
    expect(after).not.toBe(before)
    expect(store.getSnapshot()).toBe(after)
    expect(before.count).toBe(1)
    expect(before.members.has('b')).toBe(false)
    expect(after.members.get('b')).toEqual({ id: 'b', info: 2, state: {} })
    store.remove('a')
    expect(after.members.has('a')).toBe(true)
    expect(store.getSnapshot().count).toBe(1)
  })

  it('applies member events that arrived while subscribing on top of the subscription_succeeded snapshot', () => {
    // soketi's Redis adapter: a concurrent join on another node is announced by member_added
    // before this client's subscription_succeeded, whose snapshot does not hold it yet.
    const online = createOnlineStore()
    const store = createMemberStore(online.delta)
    store.reset('subscribing')
    store.add('b', { n: 2 })
    store.add('c', { n: 3 })
    store.remove('c')
    store.remove('x') // left before the snapshot was taken: the snapshot has it, the event wins
    expect(store.getSnapshot().count).toBe(0)
    store.replace(
      pusherMembers(
        [
          ['a', 1],
          ['x', 0],
        ],
        'a',
      ),
    )
    expect([...store.getSnapshot().members.keys()].sort()).toEqual(['a', 'b'])
    expect(store.getSnapshot().members.get('b')?.info).toEqual({ n: 2 })
    expect([...online.getSnapshot()].sort()).toEqual(['a', 'b'])
  })

  it('forgets early member events when the subscription starts over', () => {
    const store = createMemberStore(() => {})
    store.reset('subscribing')
    store.add('stale', {})
    store.reset('idle')
    store.reset('subscribing')
    store.replace(pusherMembers([['a', 1]], 'a'))
    expect([...store.getSnapshot().members.keys()]).toEqual(['a'])
  })

  it('deduplicates: a repeated member_added keeps one member, a removal of an absent id is a no-op', () => {
    const store = createMemberStore(() => {})
    store.replace(pusherMembers([], 'me'))
    store.add('u', { v: 1 })
    store.add('u', { v: 2 })
    expect(store.getSnapshot().count).toBe(1)
    expect(store.getSnapshot().members.get('u')?.info).toEqual({ v: 2 })
    const s = store.getSnapshot()
    store.remove('nobody')
    expect(store.getSnapshot()).toBe(s)
  })

  it('updates me when member_added repeats the current user with new info', () => {
    const store = createMemberStore(() => {})
    store.replace(pusherMembers([['me', { v: 1 }]], 'me'))
    store.add('other', { v: 9 })
    expect(store.getSnapshot().me).toEqual({ id: 'me', info: { v: 1 }, state: {} })
    store.add('me', { v: 2 })
    expect(store.getSnapshot().me).toEqual({ id: 'me', info: { v: 2 }, state: {} })
    expect(store.getSnapshot().me).toBe(store.getSnapshot().members.get('me'))
  })

  it('reset empties the map and records the status and error', () => {
    const store = createMemberStore(() => {})
    store.replace(pusherMembers([['a', 1]], 'a'))
    const error = { code: 'CHANNEL_FORBIDDEN', status: 403 }
    store.reset('forbidden', error)
    expect(store.getSnapshot()).toMatchObject({ status: 'forbidden', count: 0, me: null, error })
  })

  it('feeds the online view: a user in two channels stays online until they leave both', () => {
    const online = createOnlineStore()
    const a = createMemberStore(online.delta)
    const b = createMemberStore(online.delta)
    let notified = 0
    online.subscribe(() => notified++)
    a.replace(
      pusherMembers(
        [
          ['u1', null],
          ['u2', null],
        ],
        'u1',
      ),
    )
    b.replace(pusherMembers([['u1', null]], 'u1'))
    const snap = online.getSnapshot()
    expect([...snap].sort()).toEqual(['u1', 'u2'])
    expect(online.getSnapshot()).toBe(snap)
    a.add('u2', null) // repeated: no change
    expect(online.getSnapshot()).toBe(snap)
    a.reset('idle')
    expect([...online.getSnapshot()]).toEqual(['u1'])
    b.remove('u1')
    expect(online.getSnapshot().size).toBe(0)
    expect(notified).toBe(4) // u1 in, u2 in, u2 out, u1 out
  })
})
