/**
 * The effects of the channel state machine (`channel-machine.ts`), run against pusher-js,
 * the member store and the channel's handlers. The machine decides; this module does.
 *
 * @internal
 * @module
 */
import type { Channel } from 'pusher-js'
import type { AuthOutcome, AuthPayload } from './auth-response.js'
import type { Effect } from './channel-machine.js'
import { fail } from './errors.js'
import { type LiveState, STATE_EVENT } from './live-state.js'
import type { MemberStore, PusherMembers } from './member-store.js'
import type { PusherLike } from './options.js'
import { settleRefusedSubscription } from './pusher-internals.js'
import type { ChannelStatus } from './snapshots.js'

/** What the effects of one channel act on. @internal */
export interface EffectTarget {
  readonly name: string
  readonly presence: boolean
  readonly pusher: PusherLike
  readonly store: MemberStore
  /** Gives an event to the channel's `on()` handlers. */
  dispatch(event: string, data: unknown): void
  /** Feeds pusher-js's answer to the subscription back to the state machine. */
  report(event: 'succeeded' | 'failed', data: unknown): void
  /** The live member state of a presence channel. */
  readonly live?: LiveState | undefined
}

/** The effect runner of one channel. @internal */
export interface ChannelEffects {
  /**
   * Runs one effect of a transition.
   * @param payload - what came with the event: the authorizer's outcome (`authorized`), or
   *   pusher-js's data (`succeeded`, `failed`).
   */
  run(effect: Effect, payload: unknown): void
  /** The pusher-js channel while attached. */
  readonly pusherChannel: Channel | undefined
}

/** The store status of a refusal, from its HTTP status. */
const refusalStatus = (status: number): ChannelStatus =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error'

/**
 * Creates the effect runner of one channel.
 *
 * @param target - the channel's name, pusher-js, store and handlers.
 * @returns the runner.
 * @internal
 */
export function createChannelEffects(target: EffectTarget): ChannelEffects {
  const { name, presence, pusher, store, dispatch, live } = target
  /** The pusher-js channel while attached. */
  let pusherChannel: Channel | undefined
  /** The authorizer's answer, read by the `succeeded` (retained events) or `failed` that follows. */
  let answer: AuthOutcome | undefined

  const onPusherEvent = (event: string, data: unknown) => {
    if (event === 'pusher:subscription_succeeded') return void target.report('succeeded', data)
    if (event === 'pusher:subscription_error') target.report('failed', data)
    else if (event === 'pusher:member_added') {
      const member = data as { id: string; info?: unknown }
      store.add(member.id, member.info)
      live?.joined()
    } else if (event === 'pusher:member_removed') store.remove((data as { id: string }).id)
    dispatch(event, data)
  }

  // Attributed by the `user_id` the websocket server adds to client events (pusher-js's
  // metadata), never by anything in the payload.
  const onState = (data: unknown, metadata?: { user_id?: unknown }) =>
    live?.received(metadata?.user_id, data)

  const attach = () => {
    answer = undefined
    store.reset('subscribing')
    pusherChannel = pusher.subscribe(name)
    pusherChannel.bind_global(onPusherEvent)
    if (live) pusherChannel.bind(STATE_EVENT, onState)
  }
  const detach = () => {
    pusherChannel?.unbind_global(onPusherEvent)
    pusherChannel?.unbind(STATE_EVENT, onState)
    pusherChannel = undefined
    answer = undefined
    pusher.unsubscribe(name)
  }

  /** @param data - pusher-js's `subscription_error` data. */
  const storeRefusal = (data: unknown) => {
    const server = (data ?? {}) as { status?: number; error?: string }
    // The authorizer's refusal, else the websocket server's (4100: the presence channel is full).
    const { code, status, message } =
      answer instanceof Error
        ? answer
        : fail(
            server.status === 4100 ? 'MEMBER_LIMIT' : 'SUBSCRIPTION_ERROR',
            { status: server.status ?? 0, channel: name },
            server.error,
          )
    answer = undefined
    store.reset(refusalStatus(status), { code, status, message })
  }

  /** @param data - pusher-js's `subscription_succeeded` data (the members, for presence). */
  const storeSubscribed = (data: unknown) => {
    if (presence) store.replace(data as PusherMembers)
    else store.reset('subscribed')
    live?.subscribed()
    dispatch('pusher:subscription_succeeded', data)
    const retained = (answer as AuthPayload | undefined)?.events
    answer = undefined
    if (Array.isArray(retained)) for (const item of retained) dispatch(item?.event, item?.data)
  }

  return {
    get pusherChannel() {
      return pusherChannel
    },
    run(effect, payload) {
      switch (effect) {
        case 'attach':
          return attach()
        case 'detach':
          detach()
          return store.reset('idle')
        case 'reattach':
          detach()
          return attach()
        case 'attach-again':
          answer = undefined
          store.reset('subscribing')
          pusher.subscribe(name)
          return
        case 'accept-answer':
          answer = payload as AuthOutcome
          return
        case 'ask-again':
          return
        case 'settle':
          if (pusherChannel) settleRefusedSubscription(pusherChannel)
          return
        case 'store-subscribed':
          return storeSubscribed(payload)
        case 'store-refused':
          return storeRefusal(payload)
        case 'store-subscribing':
          return store.reset('subscribing')
        case 'store-reconnecting':
          return presence ? store.hold() : store.reset('subscribing')
      }
    },
  }
}
