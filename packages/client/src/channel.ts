import type { AuthOutcome } from './auth-response.js'
import type { AnswerVerdict } from './authorizer.js'
import { createChannelEffects } from './channel-effects.js'
import { createChannelHandlers } from './channel-handlers.js'
import { type Effect, type MachineEvent, type MachineState, transition } from './channel-machine.js'
import type { AnyState } from './channel-map.js'
import { fail } from './errors.js'
import { createLiveState } from './live-state.js'
import { createMemberStore, type MemberDelta, type MemberStore } from './member-store.js'
import type { PusherLike } from './options.js'
import type { Outbox } from './outbox.js'
import type { EventHandler, SubscriptionHandle } from './types.js'
import type { HandlerValidator } from './validate.js'

/** What a channel needs from its client. @internal */
export interface ChannelContext {
  readonly pusher: PusherLike
  /** How long the last release keeps the subscription, and how long an unused channel is kept. */
  readonly graceMs: number
  /** How long a removed member stays in a presence snapshot. */
  readonly leaveGraceMs: number
  /** Whether the channel may be joined now (client alive; for presence, a user is set). */
  mayJoin(presence: boolean): boolean
  /** The online view's counter. */
  readonly onMemberDelta: MemberDelta
  /** Removes the channel from the client's table (it is unused). */
  forget(channel: ClientChannel): void
  /** Puts the channel back in the client's table if no other state took its name. */
  remember(channel: ClientChannel): void
  /** The connection's outbox of client events (paced to 10 per second). */
  readonly outbox: Outbox
  /** Validates incoming payloads (`schemas`), here the members' live state. */
  readonly validate: HandlerValidator
  /** Whether the websocket server refused client events on this connection. */
  clientEventsRefused(): boolean
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
  send(event: MachineEvent): void
  /** The authorizer answered for this channel on the current socket. */
  authorized(outcome: AuthOutcome): AnswerVerdict
  /** Drops every handler (client destroyed). */
  unbindAll(): void
  /** Forgets the channel after the grace period if nothing uses it by then. */
  forgetWhenUnused(): void
  /** Merges a patch into this member's live state and announces it (presence channels). */
  updateState(patch: AnyState): void
  /** Sends the client event `client-<event>`, through the outbox. */
  whisper(event: string, data: unknown): void
  /** The websocket server refused client events: shown once, if this channel sent any. */
  refuseClientEvents(): void
}

/**
 * Creates the state of one channel: its place in the state machine, its references and
 * timers. The member store, the handlers and the effects have their own modules.
 *
 * @param name - the channel name.
 * @param context - the client's side.
 * @returns the channel, `idle`.
 * @internal
 */
export function createChannel(name: string, context: ChannelContext): ClientChannel {
  const { pusher, graceMs } = context
  const presence = name.startsWith('presence-')
  // A store the app listens to keeps its channel; its last listener leaving may free it.
  const store = createMemberStore(context.onMemberDelta, {
    leaveGraceMs: context.leaveGraceMs,
    onFirstListener: () => context.remember(channel),
    onLastListener: () => channel.forgetWhenUnused(),
  })
  const handlers = createChannelHandlers()
  /** Whether this channel sent client events on the current connection; then whether it showed their refusal. */
  let sentClientEvents = false
  let refusalShown = false
  const trigger = (event: string, data: unknown) => {
    const attached = effects.pusherChannel
    if (!attached?.subscribed || context.clientEventsRefused()) return
    sentClientEvents = true
    attached.trigger(event, data)
  }
  const live = presence
    ? createLiveState({ name, store, outbox: context.outbox, validate: context.validate, trigger })
    : undefined
  const effects = createChannelEffects({
    name,
    presence,
    pusher,
    store,
    live,
    dispatch: handlers.dispatch,
    report: (event, data) => void sendWith(event, data),
  })
  let whispers = 0
  let state: MachineState = 'idle'
  let references = 0
  let graceTimer: ReturnType<typeof setTimeout> | undefined
  let forgetTimer: ReturnType<typeof setTimeout> | undefined

  /** Runs the transition of `event`; returns its effects (none when the pair cannot occur). */
  const sendWith = (event: MachineEvent, payload?: unknown): readonly Effect[] => {
    const next = transition(state, event)
    if (!next) return []
    state = next.to
    for (const effect of next.effects) effects.run(effect, payload)
    return next.effects
  }

  const isUnused = () =>
    state === 'idle' &&
    references === 0 &&
    graceTimer === undefined &&
    handlers.size === 0 &&
    !store.hasListeners()

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
          return effects.pusherChannel
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
      context.remember(channel)
      const unbind = handlers.add(event, handler)
      return () => {
        if (unbind()) channel.forgetWhenUnused()
      }
    },
    sync() {
      const wanted = (references > 0 || graceTimer !== undefined) && context.mayJoin(presence)
      if (wanted && state === 'idle') channel.send('join')
      else if (!wanted && state !== 'idle') channel.send('leave')
    },
    send(event) {
      // The state belonged to the previous user: never announce it as the next one's.
      if (event === 'user-changed') live?.forget()
      sendWith(event)
    },
    authorized(outcome) {
      return sendWith('authorized', outcome).includes('ask-again') ? 'ask-again' : 'deliver'
    },
    unbindAll() {
      handlers.clear()
    },
    updateState(patch) {
      live?.update(patch)
    },
    whisper(event, data) {
      // A unique key: whispers are paced, never coalesced.
      context.outbox.put(`${name}#${++whispers}`, () => trigger(`client-${event}`, data))
    },
    refuseClientEvents() {
      if (!sentClientEvents || refusalShown) return
      refusalShown = true
      const { code, status, message } = fail('CLIENT_EVENTS_DISABLED', {
        status: 4301,
        channel: name,
      })
      store.report({ code, status, message })
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
