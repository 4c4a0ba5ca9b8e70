/**
 * Group commit: publishes that arrive while a round of writes is on disk wait for the next round,
 * and one round writes every partition that has records and then fsyncs each of them once. A
 * publish resolves when the round holding all its records is durable, so the cost of an fsync is
 * shared by everything that arrived meanwhile: throughput grows with concurrency instead of being
 * capped at one fsync per publish.
 *
 * Rounds are strictly sequential, and maintenance (retention) runs between rounds, never during
 * one, so a partition's files only ever change in one place at a time.
 */
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { PartitionLog } from './partition-log.ts'
import type { EncodableRecord } from './record-format.ts'

interface Waiter {
  resolve: () => void
  reject: (error: unknown) => void
}

export interface GroupCommitOptions {
  /** fsync before a publish resolves (default). Off only for benchmarks of the write path. */
  sync: boolean
}

export class GroupCommit {
  readonly #options: GroupCommitOptions
  #pending = new Map<PartitionLog, EncodableRecord[]>()
  #waiters: Waiter[] = []
  #tasks: (() => Promise<void>)[] = []
  #running: Promise<void> | undefined

  constructor(options: GroupCommitOptions) {
    this.#options = options
  }

  /** Queues records (already grouped by partition, in order) for the next round. */
  append(batches: ReadonlyMap<PartitionLog, readonly EncodableRecord[]>): Promise<void> {
    for (const [log, records] of batches) {
      const queued = this.#pending.get(log)
      if (queued === undefined) this.#pending.set(log, [...records])
      else for (const record of records) queued.push(record)
    }
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }))
    this.#start()
    return done
  }

  /** Runs `task` between two rounds. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = new Promise<T>((resolve, reject) => {
      this.#tasks.push(() => task().then(resolve, reject))
    })
    this.#start()
    return result
  }

  /** Resolves once every queued round and task has finished. */
  async drain(): Promise<void> {
    while (this.#running !== undefined) await this.#running
  }

  #start(): void {
    if (this.#running !== undefined) return
    // A microtask's delay lets every publish made in the same tick join the first round.
    this.#running = Promise.resolve()
      .then(() => this.#loop())
      .finally(() => {
        this.#running = undefined
        if (this.#pending.size > 0 || this.#tasks.length > 0) this.#start()
      })
  }

  async #loop(): Promise<void> {
    while (this.#pending.size > 0 || this.#tasks.length > 0) {
      const tasks = this.#tasks
      this.#tasks = []
      for (const task of tasks) await task()
      if (this.#pending.size > 0) await this.#round()
    }
  }

  async #round(): Promise<void> {
    const batches = [...this.#pending]
    const waiters = this.#waiters
    this.#pending = new Map()
    this.#waiters = []
    const now = Date.now()
    // allSettled, not all: a failure must not start the undo while another write is still running.
    let failed = firstFailure(
      await Promise.allSettled(batches.map(([log, records]) => log.write(records, now)))
    )
    if (failed === undefined && this.#options.sync)
      failed = firstFailure(await Promise.allSettled(batches.map(([log]) => log.sync())))
    if (failed !== undefined) {
      const error = failed.reason
      await Promise.all(batches.map(([log]) => log.discard()))
      const failure = new CryptoVizError(
        ErrorCodes.BUS_PUBLISH,
        `writing to the embedded log failed: ${describeError(error)}`,
        { cause: error, retryable: true }
      )
      for (const waiter of waiters) waiter.reject(failure)
      return
    }
    for (const [log] of batches) log.publish()
    for (const waiter of waiters) waiter.resolve()
  }
}

function firstFailure(results: PromiseSettledResult<unknown>[]): PromiseRejectedResult | undefined {
  return results.find(result => result.status === 'rejected')
}
