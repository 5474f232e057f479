import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLiveState, STATE_EVENT } from './live-state.js'
import { createMemberStore, type PusherMembers } from './member-store.js'
import { createOutbox } from './outbox.js'
import { createValidator } from './validate.js'

const members = (ids: string[], myID: string): PusherMembers => ({
  myID,
  each(fn) {
    for (const id of ids) fn({ id, info: {} })
  },
})

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function setup() {
  const store = createMemberStore(() => {})
  const sent: Array<[string, unknown]> = []
  const live = createLiveState({
    name: 'presence-room',
    store,
    outbox: createOutbox(100, () => Date.now()),
    validate: createValidator({}),
    trigger: (event, data) => sent.push([event, data]),
  })
  store.reset('subscribing')
  store.replace(members(['me', 'ada'], 'me'))
  return { store, sent, live }
}

describe('live state', () => {
  it('merges patches, shows them in me at once, and sends the whole state', () => {
    const { store, sent, live } = setup()
    live.update({ typing: true })
    live.update({ page: 3 })
    expect(store.getSnapshot().me?.state).toEqual({ typing: true, page: 3 })
    vi.advanceTimersByTime(200)
    expect(sent).toEqual([
      [STATE_EVENT, { state: { typing: true } }],
      [STATE_EVENT, { state: { typing: true, page: 3 } }],
    ])
  })

  it('answers a join after a random delay, once for joins that come together', () => {
    const { sent, live } = setup()
    live.update({ busy: true })
    vi.advanceTimersByTime(200)
    sent.length = 0
    live.joined()
    live.joined()
    expect(sent).toHaveLength(0)
    vi.advanceTimersByTime(300)
    expect(sent).toEqual([[STATE_EVENT, { state: { busy: true } }]])
  })

  it('sets the state of the member the server named, from a well-formed payload only', () => {
    const { store, live } = setup()
    live.received('ada', { state: { typing: true } })
    expect(store.getSnapshot().members.get('ada')?.state).toEqual({ typing: true })
    live.received(undefined, { state: { typing: false } })
    live.received('ada', { state: 'no' })
    live.received('ada', null)
    expect(store.getSnapshot().members.get('ada')?.state).toEqual({ typing: true })
  })

  it('forgets the state of a user who signed out: nothing is announced for the next one', () => {
    const { sent, live } = setup()
    live.update({ typing: true })
    vi.advanceTimersByTime(200)
    sent.length = 0
    live.forget()
    live.subscribed()
    live.joined()
    vi.advanceTimersByTime(1000)
    expect(sent).toEqual([])
    expect(live.mine).toEqual({})
  })
})
