import type { IsOnline } from '../retained/user-events.js'
import type { Store } from '../store/store.js'

/** What the feature definitions read: the SQLite store and the Redis-backed online status. */
export interface FeatureDeps {
  store: Store
  isOnline: IsOnline
  /** How long private channel data stays in the Redis cache, in milliseconds. */
  cacheTtlMs: number
}
