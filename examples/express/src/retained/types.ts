/** A retained event attached to a private channel's auth response (seed 001's `{ event, data }`). */
export type { RetainedEvent } from '@presence/server'
