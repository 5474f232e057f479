import type { GoalRow, Store } from '../store/store.js'
import type { RetainedEvent } from './types.js'

/** The public view of a goal, as sent in goal events. */
export function goalView(goal: GoalRow) {
  return {
    id: goal.id,
    streamId: goal.stream_id,
    title: goal.title,
    target: goal.target,
    progress: goal.progress,
    status: goal.status,
  }
}

/**
 * The batch service's sender `goal` receiver `authorize_goal`: `goal.updated` with the goal's state.
 *
 * @param store - the SQLite store
 * @param goalId - the goal of the channel
 * @returns one `goal.updated` event, or none for an unknown goal
 */
export function goalEvents(store: Store, goalId: string): RetainedEvent[] {
  const goal = store.goal(goalId)
  return goal ? [{ event: 'goal.updated', data: goalView(goal) }] : []
}
