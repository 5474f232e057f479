/** A retained event attached to a private channel's auth response (seed 001's `{ event, data }`). */
export interface RetainedEvent {
  event: string
  data: unknown
}
