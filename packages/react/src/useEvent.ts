'use client'
import type { EventHandler } from '@presence/client'
import { useEffect, useInsertionEffect, useRef } from './react.js'
import { usePresenceClient } from './usePresenceClient.js'

/**
 * Calls `handler` for an event of a channel (retained events from the auth response first,
 * then live ones). The handler is read through a ref refreshed on every render: passing a new
 * function never rebinds, and the call always sees the latest props and state. Listening does
 * not join: pair it with {@link useChannel} (or another joining hook) for the same name.
 *
 * @typeParam Data - the event payload.
 * @param name - the channel name.
 * @param event - the event name (`client-` events included).
 * @param handler - called with the event data.
 * @example
 * useChannel('private-stream@42')
 * useEvent<{ text: string }>('private-stream@42', 'message', (data) => {
 *   setMessages((list) => [...list, data.text])
 * })
 */
export function useEvent<Data = unknown>(
  name: string,
  event: string,
  handler: EventHandler<Data>,
): void {
  const client = usePresenceClient()
  const latest = useRef(handler)
  useInsertionEffect(() => {
    latest.current = handler
  })
  useEffect(() => {
    if (!client) return
    return client.on<Data>(name, event, (data) => latest.current(data))
  }, [client, name, event])
}
