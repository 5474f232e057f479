/**
 * Continuity of a presence member store: a peer's network blip (removed, then added again
 * within the leave grace) never reaches listeners, and this client's own reconnection keeps
 * the members and reconciles them as a diff.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemberStore, type PusherMembers } from './member-store.js'
import { createOnlineStore } from './online-store.js'
import type { MemberSnapshot } from './snapshots.js'

function pusherMembers(list: [string, unknown][], myID: string): PusherMembers {
  return {
    myID,
    each(fn) {
      for (const [id, info] of list) fn({ id, info })
    },
  }
}

/** A store with a grace, subscribed with `a` (me) and `b`, recording every notification. */
function subscribedStore(leaveGraceMs = 3000) {
  const online = createOnlineStore()
  const store = createMemberStore(online.delta, { leaveGraceMs })
  store.reset('subscribing')
  store.replace(
    pusherMembers(
      [
        ['a', { name: 'Ada' }],
        ['b', { name: 'Bo' }],
      ],
      'a',
    ),
  )
  const seen: MemberSnapshot[] = []
  store.subscribe(() => seen.push(store.getSnapshot()))
  let onlineChanges = 0
  online.subscribe(() => onlineChanges++)
  return { store, online, seen, onlineChanges: () => onlineChanges }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('member store: leave grace', () => {
  it('a member removed and added again within the grace never leaves: no notification', () => {
    const { store, seen, onlineChanges } = subscribedStore()
    const before = store.getSnapshot()
    store.remove('b')
    vi.advanceTimersByTime(1000)
    expect(store.getSnapshot().members.has('b')).toBe(true)
    store.add('b', { name: 'Bo' })
    vi.advanceTimersByTime(5000)
    expect(seen).toHaveLength(0)
    expect(onlineChanges()).toBe(0)
    expect(store.getSnapshot()).toBe(before)
  })

  it('a real leave shows once the grace is over, not before', () => {
    const { store, online, seen } = subscribedStore()
    store.remove('b')
    vi.advanceTimersByTime(2999)
    expect(store.getSnapshot().members.has('b')).toBe(true)
    expect(seen).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(store.getSnapshot().members.has('b')).toBe(false)
    expect(store.getSnapshot().count).toBe(1)
    expect(seen).toHaveLength(1)
    expect([...online.getSnapshot()]).toEqual(['a'])
  })

  it('a member back with other info is updated (one notification), not removed', () => {
    const { store, seen } = subscribedStore()
    store.remove('b')
    store.add('b', { name: 'Bob' })
    vi.advanceTimersByTime(5000)
    expect(seen).toHaveLength(1)
    expect(store.getSnapshot().members.get('b')?.info).toEqual({ name: 'Bob' })
  })

  it('leaveGraceMs 0 removes at once', () => {
    const { store, seen } = subscribedStore(0)
    store.remove('b')
    expect(store.getSnapshot().members.has('b')).toBe(false)
    expect(seen).toHaveLength(1)
  })

  it('leaving the channel drops pending leaves with the members', () => {
    const { store, online } = subscribedStore()
    store.remove('b')
    store.reset('idle')
    expect(online.getSnapshot().size).toBe(0)
    vi.advanceTimersByTime(5000)
    expect(store.getSnapshot()).toMatchObject({ status: 'idle', count: 0 })
  })
})

describe('member store: own reconnection', () => {
  it('keeps its members while reconnecting, then applies only the real changes', () => {
    const { store, online, seen, onlineChanges } = subscribedStore()
    const bo = store.getSnapshot().members.get('b')
    store.hold()
    expect(store.getSnapshot()).toMatchObject({ status: 'reconnecting', count: 2 })
    expect(store.getSnapshot().me?.id).toBe('a')
    // Events of the new subscription before its snapshot wait for it.
    store.add('d', { name: 'Di' })
    store.replace(
      pusherMembers(
        [
          ['a', { name: 'Ada' }],
          ['b', { name: 'Bo' }],
          ['c', { name: 'Cy' }],
        ],
        'a',
      ),
    )
    const after = store.getSnapshot()
    expect(after.status).toBe('subscribed')
    expect([...after.members.keys()].sort()).toEqual(['a', 'b', 'c', 'd'])
    // A member who stayed keeps its object: selections of it do not change.
    expect(after.members.get('b')).toBe(bo)
    // No snapshot on the way lost anyone.
    for (const s of seen) expect(s.members.has('a') && s.members.has('b')).toBe(true)
    expect([...online.getSnapshot()].sort()).toEqual(['a', 'b', 'c', 'd'])
    expect(onlineChanges()).toBe(2)
  })

  it('a member missing from the new list leaves after the grace', () => {
    const { store } = subscribedStore()
    store.hold()
    store.replace(pusherMembers([['a', { name: 'Ada' }]], 'a'))
    expect(store.getSnapshot()).toMatchObject({ status: 'subscribed', count: 2 })
    vi.advanceTimersByTime(3000)
    expect(store.getSnapshot().count).toBe(1)
    expect(store.getSnapshot().members.has('b')).toBe(false)
  })
})
