import type { Store } from '../store/store.js'
import { goalView } from './goal-events.js'
import type { RetainedEvent } from './types.js'

/**
 * The goal events of a stream: `goal.added` for each added goal, `goal.started`
 * and `goal.progress.updated` for each started one.
 */
function goalStateEvents(store: Store, streamId: string): RetainedEvent[] {
  const events: RetainedEvent[] = []
  for (const goal of store.goalsOfStream(streamId)) {
    if (goal.status === 'added') events.push({ event: 'goal.added', data: goalView(goal) })
    if (goal.status === 'started') {
      events.push({ event: 'goal.started', data: goalView(goal) })
      events.push({
        event: 'goal.progress.updated',
        data: { id: goal.id, progress: goal.progress, target: goal.target },
      })
    }
  }
  return events
}

/**
 * The batch service's sender `user` receiver `attach_stream_info`: the state of the
 * stream a streamer owns (`stream.online`, `stream.viewers.updated`, goal
 * events, `session.rating.updated`). Viewers own no stream and get none.
 *
 * @param store - the SQLite store
 * @param userId - the user of a `private-user@…` channel
 * @returns the events, oldest state first
 */
export function streamInfoOfUser(store: Store, userId: string): RetainedEvent[] {
  const stream = store.streamOfUser(userId)
  if (!stream) return []
  const events: RetainedEvent[] = [
    { event: 'stream.online', data: { streamId: stream.id, online: stream.online === 1 } },
    { event: 'stream.viewers.updated', data: { streamId: stream.id, viewers: stream.viewers } },
    ...goalStateEvents(store, stream.id),
  ]
  const session = store.liveSession(stream.id)
  if (session) {
    events.push({
      event: 'session.rating.updated',
      data: { sessionId: session.id, rating: session.rating },
    })
  }
  return events
}

/**
 * The batch service's sender `stream` receiver `stream_info`: everything a late viewer
 * needs to draw the stream: online state, revenue, goals, the live session's
 * ephemeral events, viewers, source state and rating.
 *
 * @param store - the SQLite store
 * @param streamId - the stream of a `private-stream@…` channel
 * @returns the events, or none for an unknown stream
 */
export function streamInfo(store: Store, streamId: string): RetainedEvent[] {
  const stream = store.stream(streamId)
  if (!stream) return []
  const session = store.liveSession(stream.id)
  const events: RetainedEvent[] = [
    { event: 'stream.online', data: { streamId: stream.id, online: stream.online === 1 } },
    { event: 'stream.revenue.updated', data: { streamId: stream.id, revenue: stream.revenue } },
    ...goalStateEvents(store, stream.id),
  ]
  if (session) events.push(...store.sessionEvents(session.id))
  events.push(
    { event: 'stream.viewers.updated', data: { streamId: stream.id, viewers: stream.viewers } },
    { event: 'source.online', data: { streamId: stream.id, online: stream.source_online === 1 } },
  )
  if (session) {
    events.push({
      event: 'session.rating.updated',
      data: { sessionId: session.id, rating: session.rating },
    })
  }
  return events
}

/**
 * The batch service's `attach_lovense_online_device` (senders `user` and `stream`):
 * `device.online` for each paired device that is online.
 *
 * @param store - the SQLite store
 * @param userId - the device owner (the streamer for a stream channel)
 * @returns one event per online device
 */
export function onlineDevices(store: Store, userId: string): RetainedEvent[] {
  return store.devicesOnline(userId).map((device) => ({
    event: 'device.online',
    data: { userId, deviceId: device.id, kind: device.kind },
  }))
}
