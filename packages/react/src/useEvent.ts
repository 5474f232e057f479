'use client'
import type {
  ChannelName,
  EventData,
  EventHandler,
  EventName,
  GivenOr,
  RegisteredChannels,
} from '@presence/client'
import { useEffect, useInsertionEffect, useRef } from './react.js'
import { useAnyClient } from './usePresenceClient.js'

/**
 * Calls `handler` for an event of a channel (retained events from the auth response first,
 * then live ones). The handler is read through a ref refreshed on every render: passing a new
 * function never rebinds, and the call always sees the latest props and state. Listening does
 * not join: pair it with {@link useChannel} (or another joining hook) for the same name, or
 * use `useChannel(name, { events })` for both at once.
 *
 * With a channel map (`Register`), the event name must be one the channel declares and the
 * payload is typed; without one, give the payload as the type argument.
 *
 * @typeParam Given - the payload, when the app declares no channel map.
 * @typeParam N - the channel name (inferred).
 * @typeParam E - the event name (inferred).
 * @param name - the channel name.
 * @param event - the event name (`client-` events included).
 * @param handler - called with the event data.
 * @example
 * useChannel('private-doc@42')
 * useEvent('private-doc@42', 'updated', (data) => setRev(data.rev))
 */
export function useEvent<
  Given = never,
  N extends ChannelName = ChannelName,
  E extends EventName<RegisteredChannels, N> = EventName<RegisteredChannels, N>,
>(
  name: N,
  event: E,
  handler: EventHandler<GivenOr<NoInfer<Given>, EventData<RegisteredChannels, N, E>>>,
): void {
  const client = useAnyClient()
  const latest = useRef(handler)
  useInsertionEffect(() => {
    latest.current = handler
  })
  useEffect(() => {
    if (!client) return
    return client.on(name, event, (data) =>
      latest.current(data as GivenOr<Given, EventData<RegisteredChannels, N, E>>),
    )
  }, [client, name, event])
}
