import type { Channel } from 'pusher-js'
import type { AuthOutcome, AuthPayload } from './auth-response.js'
import type { AnswerVerdict } from './authorizer.js'
import {
  type ChannelEffect,
  type ChannelEvent,
  type ChannelState,
  transition,
} from './channel-machine.js'
import { fail } from './errors.js'
import {
  createMemberStore,
  type MemberDelta,
  type MemberStore,
  type PusherMembers,
} from './member-store.js'
import { settleRefusedSubscription } from './pusher-internals.js'
import type { ChannelStatus, EventHandler, PusherLike, SubscriptionHandle } from './types.js'

/** What a channel needs from its client. @internal */
export interface ChannelContext {
  readonly pusher: PusherLike
  /** How long the last release keeps the subscription, and how long an unused channel is kept. */
  readonly graceMs: number
  /** Whether the channel may be joined now (client alive; for presence, a user is set). */
  mayJoin(presence: boolean): boolean
  /** The online view's counter. */
  readonly onMemberDelta: MemberDelta
  /** Removes the channel from the client's table (it is unused). */
  forget(channel: ClientChannel): void
  /** Puts the channel back in the client's table if no other state took its name. */
  remember(channel: ClientChannel): void
}

/** An `on()` registration: one per call, so one function bound twice needs two unbinds. */
interface HandlerEntry {
  readonly event: string
  readonly handler: EventHandler
}

/** One channel known to the client. @internal */
export interface ClientChannel {
  readonly name: string
  readonly store: MemberStore
  readonly presence: boolean
  /** Takes a reference (`client.subscribe`). */
  acquire(): SubscriptionHandle
  /** Binds a handler (`client.on`). */
  bind(event: string, handler: EventHandler): () => void
  /** Joins or leaves to match references, grace period, user and client life. */
  sync(): void
  /** Feeds an event to the state machine. */
  send(event: ChannelEvent): void
  /** The authorizer answered for this channel on the current socket. */
  authorized(outcome: AuthOutcome): AnswerVerdict
  /** Drops every handler (client destroyed). */
  unbindAll(): void
  /** Forgets the channel after the grace period if nothing uses it by then. */
  forgetWhenUnused(): void
}

/** The store status of a refusal, from its HTTP status. */
const refusalStatus = (status: number): ChannelStatus =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error'

/**
 * Creates the state of one channel: its state machine, member store,
 * handlers, references and grace timer.
 *
 * @param name - the channel name.
 * @param context - the client's side.
 * @returns the channel, `idle`.
 * @internal
 */
export function createChannel(name: string, context: ChannelContext): ClientChannel {
  const { pusher, graceMs } = context
  const presence = name.startsWith('presence-')
  const store = createMemberStore(context.onMemberDelta)
  const handlers = new Set<HandlerEntry>()
  let state: ChannelState = 'idle'
  let references = 0
  let graceTimer: ReturnType<typeof setTimeout> | undefined
  let forgetTimer: ReturnType<typeof setTimeout> | undefined
  /** The pusher-js channel while subscribed there. */
  let pusherChannel: Channel | undefined
  /** The authorizer's answer, read by the `succeeded` (retained events) or `failed` that follows. */
  let answer: AuthOutcome | undefined

  const dispatch = (event: string, data: unknown) => {
    for (const entry of [...handlers]) {
      if (entry.event !== event) continue
      try {
        entry.handler(data)
      } catch (error) {
        // A throwing handler must not stop the others nor pusher-js: rethrow it asynchronously.
        setTimeout(() => {
          throw error
        })
      }
    }
  }

  const onPusherEvent = (event: string, data: unknown) => {
    if (event === 'pusher:subscription_succeeded') return void sendWith('succeeded', data)
    if (event === 'pusher:subscription_error') sendWith('failed', data)
    else if (event === 'pusher:member_added') {
      const member = data as { id: string; info?: unknown }
      store.add(member.id, member.info)
    } else if (event === 'pusher:member_removed') store.remove((data as { id: string }).id)
    dispatch(event, data)
  }

  const attach = () => {
    answer = undefined
    pusherChannel = pusher.subscribe(name)
    pusherChannel.bind_global(onPusherEvent)
  }
  const detach = () => {
    pusherChannel?.unbind_global(onPusherEvent)
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
    dispatch('pusher:subscription_succeeded', data)
    const retained = (answer as AuthPayload | undefined)?.events
    answer = undefined
    if (Array.isArray(retained)) for (const item of retained) dispatch(item?.event, item?.data)
  }

  /**
   * Runs one effect of a transition.
   * @param payload - what came with the event: the authorizer's outcome (`authorized`), or
   *   pusher-js's data (`succeeded`, `failed`).
   */
  const run = (effect: ChannelEffect, payload: unknown) => {
    switch (effect) {
      case 'subscribe':
        store.reset('subscribing')
        return attach()
      case 'unsubscribe':
        detach()
        return store.reset('idle')
      case 'resubscribe':
        detach()
        store.reset('subscribing')
        return attach()
      case 'subscribe-again':
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
    }
  }

  const sendWith = (event: ChannelEvent, payload?: unknown): readonly ChannelEffect[] => {
    const next = transition(state, event)
    if (!next) return []
    state = next.to
    for (const effect of next.effects) run(effect, payload)
    return next.effects
  }

  const isUnused = () =>
    state === 'idle' &&
    references === 0 &&
    graceTimer === undefined &&
    handlers.size === 0 &&
    !store.hasListeners()

  // A store the app subscribes to keeps its channel; its last listener leaving may free it.
  const subscribeToStore = store.subscribe
  store.subscribe = (listener) => {
    context.remember(channel)
    const unsubscribe = subscribeToStore(listener)
    return () => {
      unsubscribe()
      channel.forgetWhenUnused()
    }
  }

  const channel: ClientChannel = {
    name,
    store,
    presence,
    acquire() {
      references++
      clearTimeout(graceTimer)
      graceTimer = undefined
      context.remember(channel)
      if (state === 'refused') channel.send('retry')
      channel.sync()
      let released = false
      return {
        name,
        get channel() {
          return pusherChannel
        },
        release() {
          if (released) return
          released = true
          references--
          if (references > 0) return
          graceTimer = setTimeout(() => {
            graceTimer = undefined
            channel.sync()
            channel.forgetWhenUnused()
          }, graceMs)
        },
      }
    },
    bind(event, handler) {
      const entry: HandlerEntry = { event, handler }
      context.remember(channel)
      handlers.add(entry)
      return () => {
        if (handlers.delete(entry)) channel.forgetWhenUnused()
      }
    },
    sync() {
      const wanted = (references > 0 || graceTimer !== undefined) && context.mayJoin(presence)
      if (wanted && state === 'idle') channel.send('join')
      else if (!wanted && state !== 'idle') channel.send('leave')
    },
    send(event) {
      sendWith(event)
    },
    authorized(outcome) {
      return sendWith('authorized', outcome).includes('ask-again') ? 'ask-again' : 'deliver'
    },
    unbindAll() {
      handlers.clear()
    },
    forgetWhenUnused() {
      if (forgetTimer) return
      forgetTimer = setTimeout(() => {
        forgetTimer = undefined
        if (isUnused()) context.forget(channel)
      }, graceMs)
    },
  }
  return channel
}
