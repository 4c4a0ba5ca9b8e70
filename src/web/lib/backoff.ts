/**
 * Reconnect delays: exponential with "full jitter" (a uniform draw below the exponential cap), so a
 * fleet of dashboards that lost the API at the same moment does not come back at the same moment.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 15_000 }

/** The delay before attempt `attempt` (0 = the first retry), in ms, never below baseMs / 2. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random: () => number = Math.random
): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 20))
  return Math.max(options.baseMs / 2, Math.round(cap * random()))
}
