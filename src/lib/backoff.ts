/**
 * Exponential backoff with full jitter (the AWS architecture blog's "full jitter": a uniform delay
 * between 0 and the exponential cap), the scheme Kraken's and Kafka's own clients use, so that many
 * clients restarting together do not retry in lock-step. One convention for the servers and the
 * dashboard alike: `attempt` counts from 1 (the first retry waits at most `initialMs`).
 * Pure (no Node API), so the browser bundle uses it too.
 */
export interface BackoffOptions {
  /** First cap, in ms. */
  initialMs: number
  /** Largest cap, in ms. */
  maxMs: number
  /** Least delay, in ms (0 when absent): a client that must not hammer a server it just lost. */
  floorMs?: number
  /** Replaceable for tests; must return a number in [0, 1). */
  random?: () => number
}

export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1))
  return Math.max(options.floorMs ?? 0, Math.round(cap * (options.random ?? Math.random)()))
}

/** Like backoffDelay but never below half the cap ("equal jitter"): for waits that must make progress. */
export function equalJitterDelay(attempt: number, options: BackoffOptions): number {
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(cap / 2 + (cap / 2) * (options.random ?? Math.random)())
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
