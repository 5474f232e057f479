/**
 * Live member state on a presence channel: what this member published with
 * `client.updateMyState` (merged, announced through the outbox), and what the others
 * published (client events attributed by the `user_id` the websocket server adds, validated
 * by `schemas[pattern].state`). A newcomer hears every member's state: each member announces
 * its own again when someone joins, after a short random delay, coalesced.
 *
 * @internal
 * @module
 */
import type { AnyState } from './channel-map.js'
import type { MemberStore } from './member-store.js'
import type { Outbox } from './outbox.js'
import type { HandlerValidator } from './validate.js'

/** The client event that carries a member's whole state: `{ state }`. @internal */
export const STATE_EVENT = 'client-presence-state'

/** The live state of one presence channel. @internal */
export interface LiveState {
  /** This member's state, as merged so far. */
  readonly mine: AnyState
  /** Merges a patch into this member's state, shows it in the store and announces it. */
  update(patch: AnyState): void
  /** The channel is subscribed: show this member's state and announce it (if any). */
  subscribed(): void
  /** Forgets this member's state (another user signed in: it was not theirs). */
  forget(): void
  /** A member joined: announce this member's state to them, soon. */
  joined(): void
  /**
   * A state event arrived.
   * @param userId - the `user_id` the websocket server added (never the payload's claim).
   * @param data - the event's payload.
   */
  received(userId: unknown, data: unknown): void
}

/** What the live state of one channel works with. @internal */
export interface LiveStateContext {
  readonly name: string
  readonly store: MemberStore
  readonly outbox: Outbox
  /** Validates the state payloads with `schemas[pattern].state`, if any. */
  readonly validate: HandlerValidator
  /** Sends a client event on the channel now, if it is subscribed. */
  trigger(event: string, data: unknown): void
  /** The longest random delay before answering a join, in milliseconds. @default 300 */
  readonly jitterMs?: number
}

const isRecord = (value: unknown): value is AnyState =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Creates the live state of one presence channel.
 *
 * @param context - the channel's name, store, outbox, validation and sender.
 * @returns the live state.
 * @internal
 */
export function createLiveState(context: LiveStateContext): LiveState {
  const { name, store, outbox, jitterMs = 300 } = context
  let mine: AnyState = {}
  let answerTimer: ReturnType<typeof setTimeout> | undefined
  const showMine = () => {
    const me = store.getSnapshot().me
    if (me) store.setState(me.id, mine)
  }
  const announce = () => {
    if (Object.keys(mine).length === 0) return
    // One key per channel: a burst of updates leaves as one event with the last state.
    outbox.put(`state:${name}`, () => context.trigger(STATE_EVENT, { state: mine }))
  }
  return {
    get mine() {
      return mine
    },
    update(patch) {
      mine = { ...mine, ...patch }
      showMine()
      announce()
    },
    subscribed() {
      showMine()
      announce()
    },
    forget() {
      mine = {}
    },
    joined() {
      if (answerTimer || Object.keys(mine).length === 0) return
      // Jittered, so the members of a large channel do not all answer in the same instant.
      answerTimer = setTimeout(() => {
        answerTimer = undefined
        announce()
      }, Math.random() * jitterMs)
    },
    received(userId, data) {
      if (typeof userId !== 'string' || !isRecord(data)) return
      context.validate(name, 'state', (state) => {
        if (isRecord(state)) store.setState(userId, state)
      })(data.state)
    },
  }
}
