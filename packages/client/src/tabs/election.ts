/** What the election needs from the browser (`navigator.locks`). @internal */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal; steal?: boolean },
    callback: () => Promise<void> | void,
  ): Promise<unknown>
}

/** The election of one tab. @internal */
export interface Election {
  /** Holds this tab's own lock (its life, as the other tabs see it), then calls `ready`. */
  start(ready: () => void): void
  /** Queues for the leader lock, unless already queued or leading. */
  stand(): void
  /** Takes the leader lock from a leader that stopped answering (it is told, and steps down). */
  steal(): void
  /** Leaves the lead (the lock goes to the next tab in the queue) or the queue. */
  stepDown(): void
  /** Calls `gone(tab)` once `tab` closes, crashes or is destroyed (its lock is released). */
  watch(tab: string): void
  /** Stops watching `tab` (it said goodbye). */
  unwatch(tab: string): void
  /** Releases every lock and request (the client is destroyed). */
  stop(): void
}

/**
 * Leader election over the Web Locks API.
 *
 * Every tab queues for one lock per app (`name`); the browser grants it to one tab at a time
 * and, when that tab closes or crashes, to the next in the queue, with no timer and no
 * heartbeat. A leader that stops answering without closing (suspended by a browser that
 * fires no `freeze`) can have the lock stolen by a tab the user looks at. A tab also holds a lock of its own (`name:tab:<id>`) for its whole life: the other
 * tabs queue for it, and being granted it means the tab is gone.
 *
 * @param options - the lock manager, the app's lock name, this tab's id, `lead` (called once
 *   this tab holds the leader lock; it keeps it until `stepDown`) and `gone`.
 * @returns the election.
 * @internal
 */
export function createElection(options: {
  locks: LockManagerLike
  name: string
  tab: string
  lead: () => void
  /** The lock was stolen from this tab while it led. */
  lost: () => void
  gone: (tab: string) => void
}): Election {
  const { locks, name, tab, lead, lost, gone } = options
  const tabLock = (id: string) => `${name}:tab:${id}`
  const watchers = new Map<string, AbortController>()
  let queued: AbortController | undefined
  let release: (() => void) | undefined
  let releaseTab: (() => void) | undefined
  let stopped = false
  const ignore = () => {}

  /** Requests the leader lock and leads while holding it; told if it is stolen meanwhile. */
  const hold = (
    request: AbortController,
    lockOptions: { signal?: AbortSignal; steal?: boolean },
  ) => {
    let held: (() => void) | undefined
    locks
      .request(name, lockOptions, () => {
        if (queued !== request) return
        return new Promise<void>((resolve) => {
          held = resolve
          release = resolve
          lead()
        })
      })
      .catch(() => {
        // Stolen while leading (the request rejects); an aborted wait needs nothing.
        if (!held || release !== held) return
        release = undefined
        queued = undefined
        lost()
      })
  }

  const election: Election = {
    start(ready) {
      locks
        .request(tabLock(tab), {}, () => {
          if (stopped) return
          ready()
          return new Promise<void>((resolve) => {
            releaseTab = resolve
          })
        })
        .catch(ignore)
    },
    stand() {
      if (stopped || queued) return
      const request = new AbortController()
      queued = request
      hold(request, { signal: request.signal })
    },
    steal() {
      if (stopped || release) return
      queued?.abort()
      const request = new AbortController()
      queued = request
      hold(request, { steal: true })
    },
    stepDown() {
      queued?.abort()
      queued = undefined
      release?.()
      release = undefined
    },
    watch(other) {
      if (stopped || other === tab || watchers.has(other)) return
      const request = new AbortController()
      watchers.set(other, request)
      locks
        .request(tabLock(other), { signal: request.signal }, () => {
          if (watchers.get(other) !== request) return
          watchers.delete(other)
          gone(other)
        })
        .catch(ignore)
    },
    unwatch(other) {
      watchers.get(other)?.abort()
      watchers.delete(other)
    },
    stop() {
      stopped = true
      election.stepDown()
      for (const request of watchers.values()) request.abort()
      watchers.clear()
      releaseTab?.()
    },
  }
  return election
}
