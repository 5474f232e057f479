'use client'
import type { ChannelName, EventData, RegisteredChannels, WhisperName } from '@presence/client'
import { useCallback } from './react.js'
import { useAnyClient } from './usePresenceClient.js'

/**
 * A function that whispers on a private or presence channel: it sends the client event
 * `client-<event>` to the channel's other subscribers (bind it with `useEvent(name,
 * 'client-<event>', …)`), typed by the app's channel map. The websocket server must allow
 * client events; sends are paced to 10 per second.
 *
 * @typeParam N - the channel name (inferred).
 * @param name - the channel.
 * @returns `whisper(event, data)`; it keeps its identity while the client and name do, and
 *   does nothing on the server.
 * @example
 * const whisper = useWhisper('presence-room@42')
 * return <button onClick={() => whisper('wave', { to: 'ada' })}>Wave</button>
 */
export function useWhisper<N extends ChannelName>(
  name: N,
): <E extends WhisperName<RegisteredChannels, N>>(
  event: E,
  data: EventData<RegisteredChannels, N, `client-${E}`>,
) => void {
  const client = useAnyClient()
  return useCallback(
    (event: string, data: unknown) => client?.whisper(name, event, data),
    [client, name],
  ) as never
}
