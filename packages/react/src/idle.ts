import type { MemberSnapshot } from '@presence/client'

// What the hooks read while there is no client (server rendering, and before a provider given
// `options` has created its client).

/** The snapshot of a channel nobody joined. @internal */
export const IDLE_SNAPSHOT: MemberSnapshot<never> = {
  status: 'idle',
  members: new Map(),
  me: null,
  count: 0,
  error: null,
}

/** Nobody online. @internal */
export const NOBODY: ReadonlySet<string> = new Set()
