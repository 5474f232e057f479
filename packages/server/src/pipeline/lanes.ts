import type { Timers } from '../timers.js'

/** The queue a channel waits in for an authorizer slot: presence and `priority: 'high'` go first. */
export type Lane = 'high' | 'normal'

/** A channel waiting for a slot. */
interface Waiter {
  readonly owner: unknown
  readonly resolve: (admitted: boolean) => void
  timer: unknown
  /** Admitted, or expired: either way no longer waiting. */
  done: boolean
}

/**
 * One lane: a FIFO per owner (a session, or an anonymous request), served round-robin, so one
 * owner's flood takes one turn in every round instead of the whole lane.
 */
class LaneQueue {
  private readonly byOwner = new Map<unknown, Waiter[]>()
  /** The owners with waiters, in turn order. */
  private readonly ring: unknown[] = []

  push(waiter: Waiter): void {
    const queue = this.byOwner.get(waiter.owner)
    if (queue) queue.push(waiter)
    else {
      this.byOwner.set(waiter.owner, [waiter])
      this.ring.push(waiter.owner)
    }
  }

  /** The next waiter still waiting, round-robin between owners; expired ones are dropped. */
  shift(): Waiter | undefined {
    while (this.ring.length > 0) {
      const owner = this.ring.shift()
      const queue = this.byOwner.get(owner)!
      const waiter = queue.shift()!
      if (queue.length > 0) this.ring.push(owner)
      else this.byOwner.delete(owner)
      if (!waiter.done) return waiter
    }
    return undefined
  }
}

/** The limits of {@link AuthorizerSlots}. @internal */
export interface SlotLimits {
  /** Authorizer calls running at once in this server instance (`limits.maxInFlight`). */
  readonly maxInFlight: number
  /** Calls abandoned at their time limit that may still run without a slot (`limits.maxAbandoned`). */
  readonly maxAbandoned: number
}

/**
 * The server-wide authorizer slots: at most `maxInFlight` authorizer calls run at once, across
 * all requests. A channel that finds none free waits in its lane — `high` always served before
 * `normal`, owners round-robin within a lane — until a slot frees up or its deadline passes
 * (then it is refused without its authorizer ever being called). A call still running at its
 * deadline (an authorizer that ignores its `signal`) gives its slot back and is counted as
 * abandoned until it settles; past `maxAbandoned` such calls, it keeps its slot until it settles,
 * so at most `maxInFlight + maxAbandoned` authorizer calls ever run at once.
 * @internal
 */
export class AuthorizerSlots {
  /** Calls holding a slot. */
  running = 0
  /** Calls abandoned at their limit and still running. */
  abandoned = 0
  private readonly lanes = { high: new LaneQueue(), normal: new LaneQueue() }

  constructor(
    readonly limits: SlotLimits,
    private readonly timers: Timers,
  ) {}

  /**
   * Takes a slot for a call.
   * @param lane - the channel's lane.
   * @param owner - whom the call is for (round-robin key): the session's user id, or the request.
   * @param deadline - when the channel's time limit runs out, on `timers.now()`.
   * @returns `true` when the slot is taken now, `false` when the deadline is (all but) past, or
   *   a promise of either once the channel has waited its turn.
   */
  enter(lane: Lane, owner: unknown, deadline: number): boolean | Promise<boolean> {
    const remaining = deadline - this.timers.now()
    if (remaining < 1) return false
    if (this.running < this.limits.maxInFlight) {
      this.running++
      return true
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { owner, resolve, timer: undefined, done: false }
      waiter.timer = this.timers.setTimeout(() => {
        if (waiter.done) return
        waiter.done = true
        resolve(false)
      }, Math.ceil(remaining))
      this.lanes[lane].push(waiter)
    })
  }

  /** Gives a slot back: the next waiter, high lane first, takes it. */
  leave(): void {
    this.running--
    while (this.running < this.limits.maxInFlight) {
      const waiter = this.lanes.high.shift() ?? this.lanes.normal.shift()
      if (!waiter) return
      waiter.done = true
      this.timers.clearTimeout(waiter.timer)
      this.running++
      waiter.resolve(true)
    }
  }

  /**
   * A call reached its deadline while still running: its slot is given back and the call
   * counted as abandoned until `work` settles — unless `maxAbandoned` calls already are, in
   * which case it keeps its slot until it settles.
   * @param work - the call's work (authorizer and retained-event providers).
   * @returns the number of abandoned calls still running, this one included, or `null` when
   *   the cap was reached and the call kept its slot.
   */
  abandon(work: Promise<unknown>): number | null {
    if (this.abandoned >= this.limits.maxAbandoned) {
      void work.then(
        () => this.leave(),
        () => this.leave(),
      )
      return null
    }
    this.abandoned++
    const count = this.abandoned
    void work.then(
      () => void this.abandoned--,
      () => void this.abandoned--,
    )
    this.leave()
    return count
  }
}
