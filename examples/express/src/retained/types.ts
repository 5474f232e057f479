/** A retained event attached to a private channel's auth response (the batch service's `{ event, data }`). */
export type { RetainedEvent } from '@presence/server'
