import type { Store } from '../store/store.js'
import type { RetainedEvent } from './types.js'

/** Features whose stored channel events are replayed to every subscriber (the batch service). */
export const FEATURES_WITH_STORED_EVENTS: ReadonlySet<string> = new Set(['stream', 'campaign'])

/**
 * The batch service's "all senders" receiver `attach_retained_events`: for
 * `private-stream…` and `private-campaign…` channels, the events stored for
 * the channel (`Channel.events`, the `channel_events` table), oldest first.
 *
 * @param store - the SQLite store
 * @param channel - the parsed channel (`type`, `feature`, `name`)
 * @returns the stored events, or none for other channels
 */
export function storedChannelEvents(
  store: Store,
  channel: { type: string; feature: string; name: string },
): RetainedEvent[] {
  if (channel.type !== 'private' || !FEATURES_WITH_STORED_EVENTS.has(channel.feature)) return []
  return store.channelEvents(channel.name)
}
