/**
 * The producers' way onto the bus. Sources hand records over synchronously and never wait for
 * Kafka: records queue here, one publish runs at a time (so per-key order holds across retries),
 * and each publish takes everything queued up to a batch size, so batches grow on their own when
 * the broker is slow and latency stays low when it is fast.
 *
 * Kafka trouble is not data loss: while publishing fails the batch is retried with backoff and new
 * records wait, up to `maxRecords`. Past that bound new records are dropped, and every drop is
 * counted per topic, logged (first one at once, then a summary every 10 s) and shown in metrics.
 */
import type { Logger } from 'pino'
import type { Bus, BusRecord } from '../../bus/bus.ts'
import { ErrorCodes, describeError } from '../../errors/errors.ts'
import { backoffDelay, sleep } from '../../lib/backoff.ts'
import { type Activity, ActivityMeter } from '../../role/activity-meter.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import { RecordQueue } from './record-queue.ts'

export type PublishOutcome = 'published' | 'dropped'

export interface PublisherOptions {
  bus: Bus
  metrics: ProducerMetrics
  log: Logger
  /** Records held while the bus fails; new records past it are dropped (and counted). */
  maxRecords: number
  /** Records per publish call (default 2000). */
  maxBatchRecords?: number
  /** Backoff between failed publishes (default 100 ms doubling to 5 s, full jitter). */
  retryBackoffMs?: { initialMs: number; maxMs: number }
  /** Headers added to every record (e.g. x-source-mode: replay). */
  headers?: Record<string, string>
}

const DROP_LOG_INTERVAL_MS = 10_000

export class BufferedPublisher {
  readonly #options: PublisherOptions
  readonly #queue = new RecordQueue()
  readonly #log: Logger
  readonly #stop = new AbortController()
  readonly #activity = new ActivityMeter()
  #pumping: Promise<void> | undefined
  #failures = 0
  #dropsUnlogged = 0
  #droppedInOutage = 0
  #lastDropLog = 0
  #closed = false

  constructor(options: PublisherOptions) {
    this.#options = options
    this.#log = options.log.child({ component: 'publisher' })
    options.metrics.bufferCapacity.set(options.maxRecords)
    options.metrics.busUp.set(1)
  }

  get buffered(): number {
    return this.#queue.length
  }

  /** The records the bus acknowledged: how many, the last one's time, the recent rate. */
  activity(): Activity {
    return this.#activity.report()
  }

  /** True while publishing fails (the broker is unreachable or refusing). */
  get failing(): boolean {
    return this.#failures > 0
  }

  /**
   * Queues one record. Returns false (and calls `onDone('dropped')`) when the buffer is full or the
   * publisher is closed; `onDone('published')` fires once the bus has acknowledged the record.
   */
  enqueue(record: BusRecord, onDone?: (outcome: PublishOutcome) => void): boolean {
    if (this.#closed || this.#queue.length >= this.#options.maxRecords) {
      this.#drop(record.topic, 1)
      onDone?.('dropped')
      return false
    }
    const headers = this.#options.headers
    this.#queue.push(
      headers === undefined ? record : { ...record, headers: { ...headers, ...record.headers } },
      onDone
    )
    this.#options.metrics.bufferedRecords.set(this.#queue.length)
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = undefined
    })
    return true
  }

  /** Resolves true once everything queued so far is published, false if `timeoutMs` passes first. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.#queue.length > 0 && Date.now() < deadline) await sleep(Math.min(20, timeoutMs))
    return this.#queue.length === 0
  }

  /**
   * Stops taking records, gives the queue up to `timeoutMs` to drain, then gives up on the rest:
   * those are counted and logged as dropped, so a shutdown during an outage is never silent.
   */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true
    await this.flush(timeoutMs)
    this.#stop.abort()
    await this.#pumping
    const left = this.#queue.takeAll()
    if (left.length > 0) {
      for (const { record, onDone } of left) {
        this.#drop(record.topic, 1)
        onDone?.('dropped')
      }
      this.#log.error(
        { code: ErrorCodes.PRODUCER_BUFFER_FULL, records: left.length },
        'stopped with records the bus never acknowledged; they are dropped'
      )
    }
    this.#options.metrics.bufferedRecords.set(0)
  }

  async #pump(): Promise<void> {
    const { bus, metrics } = this.#options
    const maxBatch = this.#options.maxBatchRecords ?? 2000
    const backoff = this.#options.retryBackoffMs ?? { initialMs: 100, maxMs: 5_000 }
    while (this.#queue.length > 0 && !this.#stop.signal.aborted) {
      const batch = this.#queue.peek(maxBatch)
      const started = performance.now()
      try {
        await bus.publish(batch.map(entry => entry.record))
      } catch (error) {
        this.#failures++
        metrics.publishFailures.inc()
        metrics.busUp.set(0)
        if (this.#failures === 1 || this.#failures % 10 === 0) {
          this.#log.warn(
            { err: describeError(error), attempt: this.#failures, buffered: this.#queue.length },
            'publish failed; records stay buffered and are retried'
          )
        }
        await sleep(backoffDelay(this.#failures, backoff), this.#stop.signal).catch(() => undefined)
        continue
      }
      metrics.publishSeconds.observe((performance.now() - started) / 1000)
      metrics.publishBatch.observe(batch.length)
      if (this.#failures > 0) {
        this.#log.info(
          {
            afterAttempts: this.#failures,
            buffered: this.#queue.length,
            droppedMeanwhile: this.#droppedInOutage
          },
          'bus reachable again'
        )
        this.#failures = 0
        this.#droppedInOutage = 0
        metrics.busUp.set(1)
      }
      this.#queue.drop(batch.length)
      this.#activity.record(batch.length)
      metrics.bufferedRecords.set(this.#queue.length)
      // Counted per topic once per batch: a labelled inc per record costs more than the publish.
      const perTopic = new Map<string, number>()
      for (const { record, onDone } of batch) {
        perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + 1)
        onDone?.('published')
      }
      for (const [topic, count] of perTopic) metrics.publishedRecords.inc({ topic }, count)
    }
  }

  #drop(topic: string, count: number): void {
    this.#options.metrics.droppedRecords.inc({ topic }, count)
    this.#dropsUnlogged += count
    this.#droppedInOutage += count
    const now = Date.now()
    if (now - this.#lastDropLog < DROP_LOG_INTERVAL_MS) return
    this.#log.error(
      {
        code: ErrorCodes.PRODUCER_BUFFER_FULL,
        dropped: this.#dropsUnlogged,
        bound: this.#options.maxRecords,
        closed: this.#closed
      },
      this.#closed
        ? 'record arrived after the publisher closed; dropped'
        : 'producer buffer full (the bus is unreachable); dropping new records'
    )
    this.#dropsUnlogged = 0
    this.#lastDropLog = now
  }
}
