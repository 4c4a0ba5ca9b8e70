/**
 * The one retry policy of both buses: a batch handler that throws is called again on the same
 * records after a backoff that doubles from min to max, for as long as it takes. Consumption of the
 * batch's partitions waits meanwhile (the caller reads nothing further), so a failure pauses the
 * stream instead of skipping records. Only the signal (close, or a rebalance taking the partitions
 * away) stops the retries, and then nothing is committed: the records are delivered again.
 */
import type { Logger } from 'pino'
import { describeError } from '../errors/errors.ts'
import { backoffDelay, sleep } from '../lib/backoff.ts'
import type { ConsumedRecord, SubscribeOptions } from './bus.ts'

export const DEFAULT_RETRY_BACKOFF_MS = { min: 100, max: 10_000 }

/** Resolves true once the handler succeeded; false if `signal` fired before it did. */
export async function handleWithRetry(
  options: Pick<SubscribeOptions, 'handler' | 'onHandlerError' | 'retryBackoffMs'>,
  records: readonly ConsumedRecord[],
  signal: AbortSignal,
  log: Logger
): Promise<boolean> {
  const backoff = options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS
  for (let attempt = 1; ; attempt++) {
    try {
      await options.handler(records)
      return true
    } catch (error) {
      options.onHandlerError?.(error, attempt, records)
      const delay = Math.max(
        backoff.min,
        backoffDelay(attempt, { initialMs: backoff.min, maxMs: backoff.max })
      )
      log.warn(
        { err: describeError(error), attempt, records: records.length, retryInMs: delay },
        'batch handler failed; retrying the same records'
      )
      try {
        await sleep(delay, signal)
      } catch {
        return false
      }
    }
  }
}
