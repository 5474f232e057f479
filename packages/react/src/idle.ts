import type { ConnectionState, MemberSnapshot, Store } from '@presence/client'

/**
 * A store that never changes: what the hooks read while there is no client (server rendering,
 * and before a lazily created client exists).
 */
const constant = <T>(value: T): Store<T> => ({
  subscribe: () => () => {},
  getSnapshot: () => value,
})

/** The snapshot of a channel nobody joined. @internal */
export const IDLE_SNAPSHOT: MemberSnapshot<never> = {
  status: 'idle',
  members: new Map(),
  me: null,
  count: 0,
  error: null,
}

/** @internal */
export const idleMembers = constant<MemberSnapshot<never>>(IDLE_SNAPSHOT)
/** @internal */
export const idleOnline = constant<ReadonlySet<string>>(new Set())
/** @internal */
export const idleConnection = constant<ConnectionState>('initialized')
