/**
 * One `onUnauthorized()` call per token generation.
 *
 * Every request remembers the generation its headers were read in. When it
 * gets a 401:
 *
 * - a refresh completed since its headers were read: its token is simply
 *   old, so it is retried with fresh headers, without another refresh;
 * - a refresh is running: it waits for that one;
 * - otherwise it starts the refresh, which every other 401 of the same
 *   generation then shares.
 *
 * A refresh that throws still counts as completed (the retry then reports
 * the outcome), so nothing loops.
 *
 * @internal
 */
export interface TokenRefresh {
  /** The number of completed refreshes: read it before reading the headers of a request. */
  readonly generation: number
  /**
   * Resolves once the headers are newer than `generation`, refreshing only
   * when no refresh completed or is running since then.
   *
   * @param generation - the generation the refused request's headers came from.
   */
  refreshAfter(generation: number): Promise<void>
}

/**
 * Creates the refresh gate of one client.
 *
 * @param onUnauthorized - the app's refresh (`auth.onUnauthorized`).
 * @returns the gate.
 * @internal
 */
export function createTokenRefresh(onUnauthorized: () => void | Promise<void>): TokenRefresh {
  let completed = 0
  let running: Promise<void> | undefined

  const refresh = async () => {
    try {
      await onUnauthorized()
    } catch {
      // The retry that follows reports what the server says.
    } finally {
      completed++
      running = undefined
    }
  }

  return {
    get generation() {
      return completed
    },
    async refreshAfter(generation) {
      if (generation < completed) return
      running ??= refresh()
      await running
    },
  }
}
