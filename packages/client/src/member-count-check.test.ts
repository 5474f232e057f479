/**
 * A presence store whose member list disagrees with the server's count says so in
 * development: soketi counts members whose channel_data has no user_info but leaves them out
 * of the list it sends, so an app would otherwise show fewer people than are there.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemberStore, type PusherMembers } from './member-store.js'

const members = (ids: string[], count: number): PusherMembers => ({
  myID: ids[0],
  count,
  each(fn) {
    for (const id of ids) fn({ id, info: {} })
  },
})

afterEach(() => {
  vi.restoreAllMocks()
})

describe('member count check (development)', () => {
  it('warns, naming the likely cause, when the server counts more members than it listed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = createMemberStore(() => {})
    store.reset('subscribing')
    store.replace(members(['a', 'b'], 3))
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/counts 3 members but listed 2.*user_info/)
    expect(store.getSnapshot().count).toBe(2)
  })

  it('stays quiet when the list and the count agree', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const store = createMemberStore(() => {})
    store.reset('subscribing')
    store.replace(members(['a', 'b'], 2))
    expect(warn).not.toHaveBeenCalled()
  })
})
