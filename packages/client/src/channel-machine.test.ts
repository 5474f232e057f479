import { describe, expect, it } from 'vitest'
import { type Effect, type MachineEvent, type MachineState, transition } from './channel-machine.js'

const STATES: MachineState[] = [
  'idle',
  'authorizing',
  'subscribed',
  'reconnecting',
  'refused',
  'stale-user',
]
const EVENTS: MachineEvent[] = [
  'join',
  'leave',
  'retry',
  'user-changed',
  'authorized',
  'succeeded',
  'failed',
  'connection-lost',
]

/**
 * Every state × event pair, in one table: the expected next state and effects, or
 * `null` with the reason the pair cannot occur.
 */
const PAIRS: Array<
  [MachineState, MachineEvent, MachineState, Effect[]] | [MachineState, MachineEvent, null, string]
> = [
  ['idle', 'join', 'authorizing', ['attach']],
  ['idle', 'leave', null, 'sync() only sends leave to a joined channel'],
  ['idle', 'retry', null, 'retry is sent to refused channels only'],
  ['idle', 'user-changed', 'idle', []],
  ['idle', 'authorized', 'idle', []],
  ['idle', 'succeeded', null, 'the pusher-js listener is unbound when leaving'],
  ['idle', 'failed', null, 'the pusher-js listener is unbound when leaving'],
  ['idle', 'connection-lost', 'idle', []],

  ['authorizing', 'join', null, 'sync() only sends join to an idle channel'],
  ['authorizing', 'leave', 'idle', ['detach']],
  ['authorizing', 'retry', null, 'retry is sent to refused channels only'],
  ['authorizing', 'user-changed', 'stale-user', []],
  ['authorizing', 'authorized', 'authorizing', ['accept-answer']],
  ['authorizing', 'succeeded', 'subscribed', ['store-subscribed']],
  ['authorizing', 'failed', 'refused', ['settle', 'store-refused']],
  ['authorizing', 'connection-lost', 'authorizing', ['store-subscribing']],

  ['subscribed', 'join', null, 'sync() only sends join to an idle channel'],
  ['subscribed', 'leave', 'idle', ['detach']],
  ['subscribed', 'retry', null, 'retry is sent to refused channels only'],
  ['subscribed', 'user-changed', 'authorizing', ['reattach']],
  [
    'subscribed',
    'authorized',
    null,
    'a new authorization follows connection-lost or a resubscribe',
  ],
  ['subscribed', 'succeeded', null, 'pusher-js confirms a subscription once'],
  ['subscribed', 'failed', null, 'pusher-js refuses only a pending subscription'],
  ['subscribed', 'connection-lost', 'reconnecting', ['store-reconnecting']],

  ['reconnecting', 'join', null, 'sync() only sends join to an idle channel'],
  ['reconnecting', 'leave', 'idle', ['detach']],
  ['reconnecting', 'retry', null, 'retry is sent to refused channels only'],
  ['reconnecting', 'user-changed', 'authorizing', ['reattach']],
  ['reconnecting', 'authorized', 'reconnecting', ['accept-answer']],
  ['reconnecting', 'succeeded', 'subscribed', ['store-subscribed']],
  ['reconnecting', 'failed', 'refused', ['settle', 'store-refused']],
  ['reconnecting', 'connection-lost', 'reconnecting', []],

  ['refused', 'join', null, 'sync() only sends join to an idle channel'],
  ['refused', 'leave', 'idle', ['detach']],
  ['refused', 'retry', 'authorizing', ['attach-again']],
  ['refused', 'user-changed', 'authorizing', ['reattach']],
  ['refused', 'authorized', null, 'nothing is being authorized until retry or reconnect'],
  ['refused', 'succeeded', null, 'no subscription is pending'],
  ['refused', 'failed', null, 'no subscription is pending'],
  ['refused', 'connection-lost', 'authorizing', ['store-subscribing']],

  ['stale-user', 'join', null, 'sync() only sends join to an idle channel'],
  ['stale-user', 'leave', 'idle', ['detach']],
  ['stale-user', 'retry', null, 'retry is sent to refused channels only'],
  ['stale-user', 'user-changed', 'stale-user', []],
  ['stale-user', 'authorized', 'authorizing', ['ask-again']],
  ['stale-user', 'succeeded', 'authorizing', ['reattach']],
  ['stale-user', 'failed', 'authorizing', ['settle', 'reattach']],
  ['stale-user', 'connection-lost', 'authorizing', ['store-subscribing']],
]

describe('channel state machine', () => {
  it('the table lists every state × event pair exactly once', () => {
    const listed = PAIRS.map(([state, event]) => `${state} × ${event}`)
    const all = STATES.flatMap((state) => EVENTS.map((event) => `${state} × ${event}`))
    expect(new Set(listed).size).toBe(listed.length)
    expect([...listed].sort()).toEqual([...all].sort())
  })

  for (const [state, event, to, expected] of PAIRS) {
    if (to === null) {
      it(`${state} × ${event}: cannot occur (${expected}), so nothing happens`, () => {
        expect(transition(state, event)).toBeUndefined()
      })
    } else {
      it(`${state} × ${event} → ${to}${expected.length ? ` [${expected.join(', ')}]` : ''}`, () => {
        expect(transition(state, event)).toEqual({ to, effects: expected })
      })
    }
  }
})
