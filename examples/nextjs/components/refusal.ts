/** A refusal as the member store reports it. */
export interface Refusal {
  status: number
  code: string
  message?: string | undefined
}

/**
 * One line for a refusal: `HTTP 401 · UNAUTHENTICATED`, plus the server's
 * message only when it says more than the code (development mode).
 */
export function describeRefusal(error: Refusal): { summary: string; detail: string | null } {
  const detail = error.message && error.message !== error.code ? error.message : null
  return { summary: `HTTP ${error.status} · ${error.code}`, detail }
}
