/**
 * A job's health from its batches: up while batches succeed, down while one keeps failing (the bus
 * retries it with backoff and the group pauses: readiness says so), with the facts an operator needs.
 */
import { describeError, isCryptoVizError } from '../errors/errors.ts'
import type { CheckResult } from '../ops/health.ts'

export class BatchHealth {
  #lastSuccessAt: number | undefined
  #records = 0
  #failing: { since: number; attempts: number; error: string; records: number } | undefined
  #newestEventAt: number | undefined

  succeeded(records: number, newestEventMillis?: number): void {
    this.#lastSuccessAt = Date.now()
    this.#records += records
    this.#failing = undefined
    if (newestEventMillis !== undefined)
      this.#newestEventAt = Math.max(this.#newestEventAt ?? 0, newestEventMillis)
  }

  failed(error: unknown, attempt: number, records: number): void {
    const what = isCryptoVizError(error) ? `[${error.code}] ${describeError(error)}` : describeError(error)
    this.#failing = { since: this.#failing?.since ?? Date.now(), attempts: attempt, error: what, records }
  }

  check(): CheckResult {
    const data: Record<string, unknown> = {
      recordsHandled: this.#records,
      lastBatchAt: this.#lastSuccessAt === undefined ? null : new Date(this.#lastSuccessAt).toISOString(),
      newestEventAgeSeconds:
        this.#newestEventAt === undefined ? null : Math.round((Date.now() - this.#newestEventAt) / 1000)
    }
    if (this.#failing !== undefined) {
      const seconds = Math.round((Date.now() - this.#failing.since) / 1000)
      return {
        status: 'down',
        detail: `a batch of ${this.#failing.records} record(s) has failed for ${seconds} s (attempt ${this.#failing.attempts}), retrying: ${this.#failing.error}`,
        data
      }
    }
    return {
      status: 'up',
      detail:
        this.#lastSuccessAt === undefined
          ? 'waiting for records'
          : `${this.#records} record(s) handled; last batch ${Math.round((Date.now() - this.#lastSuccessAt) / 1000)} s ago`,
      data
    }
  }
}
