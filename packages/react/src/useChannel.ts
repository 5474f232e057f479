'use client'
import type {
  ChannelError,
  ChannelName,
  ChannelStatus,
  EventData,
  EventHandler,
  EventName,
  MemberSnapshot,
  RegisteredChannels,
} from '@presence/client'
import { useEffect, useInsertionEffect, useRef } from './react.js'
import { shallow } from './shallow.js'
import { type JoinOptions, useJoin } from './useJoin.js'
import { useMembers } from './useMembers.js'
import { useAnyClient } from './usePresenceClient.js'

/** What {@link useChannel} and {@link useActiveChannel} return. */
export interface ChannelState {
  /** Where the subscription stands: `idle`, `subscribing`, `subscribed`, `reconnecting`, `unauthenticated`, `forbidden` or `error`. */
  readonly status: ChannelStatus
  /** The server's (or the client's) reason when the channel was refused; `null` otherwise. */
  readonly error: ChannelError | null
}

/** A handler per event name of channel `N`, typed by the app's channel map. */
export type ChannelEventHandlers<N extends string> = {
  [E in EventName<RegisteredChannels, N>]?: EventHandler<EventData<RegisteredChannels, N, E>>
}

/** Options of {@link useChannel} and {@link useActiveChannel}. */
export interface ChannelOptions<N extends string = string> extends JoinOptions {
  /**
   * Handlers of the channel's events, by event name, as {@link useEvent} calls them:
   * retained events first, read through a ref (a new object every render never rebinds;
   * adding or removing an event name does).
   * @default undefined (no handler)
   */
  events?: ChannelEventHandlers<N> | undefined
}

const pickState = (s: MemberSnapshot): ChannelState => ({ status: s.status, error: s.error })

/**
 * Joins a channel (private, presence, encrypted or public) while mounted and enabled, and
 * returns its status. Re-renders only when the status or error changes, never for member
 * events. Changing `name` leaves the old channel and joins the new one. `events` binds handlers
 * to the channel's events (the same as one {@link useEvent} per event).
 *
 * Presence channels are joined only while the provider has a `user`.
 *
 * @param name - the channel name.
 * @param options - `enabled` (default `true`) and `events` (event name → handler).
 * @returns `{ status, error }`; `idle` on the server.
 * @example
 * const { status, error } = useChannel(`private-doc@${docId}`, {
 *   events: { updated: (data) => setRev(data.rev) },
 * })
 * if (status === 'forbidden') return <p>Not allowed ({error?.code})</p>
 */
export function useChannel<N extends ChannelName>(
  name: N,
  options?: ChannelOptions<N>,
): ChannelState {
  useJoin(name, options)
  useEvents(name, options?.events)
  return useMembers(name, pickState, shallow)
}

/**
 * Binds a handler per event name, read through a ref: only a change of client, channel or set
 * of event names rebinds.
 *
 * @param name - the channel name.
 * @param events - event name → handler.
 */
function useEvents(name: string, events: { [event: string]: unknown } | undefined): void {
  const client = useAnyClient()
  const latest = useRef(events)
  useInsertionEffect(() => {
    latest.current = events
  })
  const names = events ? Object.keys(events).join('\n') : ''
  useEffect(() => {
    if (!client || !names) return
    const unbind = names.split('\n').map((event) =>
      client.on(name, event, (data) => {
        const handler = latest.current?.[event]
        if (typeof handler === 'function') handler(data)
      }),
    )
    return () => {
      for (const u of unbind) u()
    }
  }, [client, name, names])
}
