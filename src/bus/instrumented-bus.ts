/**
 * A bus that measures itself: wraps any Bus (Kafka or embedded) and counts what goes through it
 * (bus-metrics.ts), times publishes and batch handlers, follows assignments, and reads the lag of
 * every group it consumes for on a timer through the bus's own inspector. The roles keep calling
 * the port as before; the runtime hands them this wrapper.
 *
 * The lag is read for every partition of the group's topics, not only those this member owns, so a
 * partition whose owner died still shows its growing lag; several members of one group report the
 * same numbers, which dashboards fold with `max by (group, topic, partition)`.
 */
import type { Logger } from 'pino'
import { describeError, isCryptoVizError } from '../errors/errors.ts'
import type { Registry } from '../ops/metrics.ts'
import type { Bus, BusInspector, BusRecord, SubscribeOptions, Subscription } from './bus.ts'
import { type BusMetrics, createBusMetrics } from './bus-metrics.ts'

export interface InstrumentOptions {
  /** How often consumer lag is read; 0 turns lag reading off. */
  lagPollIntervalMs: number
  log: Logger
}

export class InstrumentedBus implements Bus {
  readonly inspector?: BusInspector
  readonly #inner: Bus
  readonly #metrics: BusMetrics
  readonly #log: Logger
  /** group → topics it consumes, for the lag poll. */
  readonly #groups = new Map<string, Set<string>>()
  /** Label sets of the lag series last set per group, to withdraw them when a reading fails. */
  readonly #lagSeries = new Map<string, { group: string; topic: string; partition: string }[]>()
  readonly #timer: NodeJS.Timeout | undefined
  #polling = false

  constructor(inner: Bus, registry: Registry, options: InstrumentOptions) {
    this.#inner = inner
    this.#metrics = createBusMetrics(registry)
    this.#log = options.log.child({ component: 'bus-metrics' })
    if (inner.inspector !== undefined) this.inspector = inner.inspector
    if (options.lagPollIntervalMs > 0 && inner.inspector !== undefined) {
      this.#timer = setInterval(() => void this.pollLag(), options.lagPollIntervalMs)
      this.#timer.unref()
    }
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    const started = performance.now()
    try {
      await this.#inner.publish(records)
    } catch (error) {
      this.#metrics.publishFailures.inc({ code: isCryptoVizError(error) ? error.code : 'unexpected' })
      throw error
    }
    this.#metrics.publishSeconds.observe((performance.now() - started) / 1000)
    const perTopic = new Map<string, number>()
    for (const record of records) perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + 1)
    for (const [topic, count] of perTopic) this.#metrics.published.inc({ topic }, count)
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const m = this.#metrics
    const group = options.groupId
    const topics = this.#groups.get(group) ?? new Set<string>()
    for (const topic of options.topics) topics.add(topic)
    this.#groups.set(group, topics)
    const subscription = await this.#inner.subscribe({
      ...options,
      handler: async batch => {
        m.batchRecords.observe({ group }, batch.length)
        const end = m.handlerSeconds.startTimer({ group })
        try {
          await options.handler(batch)
        } finally {
          end()
        }
        const perTopic = new Map<string, number>()
        for (const record of batch) perTopic.set(record.topic, (perTopic.get(record.topic) ?? 0) + 1)
        for (const [topic, count] of perTopic) m.consumed.inc({ group, topic }, count)
      },
      onAssigned: partitions => {
        m.rebalances.inc({ group })
        m.assigned.set({ group }, partitions.length)
        return options.onAssigned?.(partitions)
      },
      onHandlerError: (error, attempt, batch) => {
        m.handlerFailures.inc({ group })
        options.onHandlerError?.(error, attempt, batch)
      }
    })
    return subscription
  }

  /** Reads every consumed group's lag once (the timer calls it; tests may too). */
  async pollLag(): Promise<void> {
    const inspector = this.#inner.inspector
    if (inspector === undefined || this.#polling) return
    this.#polling = true
    try {
      for (const [group, topics] of this.#groups) {
        try {
          const offsets = await inspector.groupOffsets(group, [...topics])
          const series = offsets.map(o => {
            const labels = { group, topic: o.topic, partition: String(o.partition) }
            this.#metrics.lag.set(labels, Number(o.lag))
            return labels
          })
          this.#lagSeries.set(group, series)
        } catch (error) {
          // A stale lag figure during an outage would look healthy: withdraw it instead.
          this.#metrics.lagPollFailures.inc({ group })
          for (const labels of this.#lagSeries.get(group) ?? []) this.#metrics.lag.remove(labels)
          this.#lagSeries.delete(group)
          this.#log.debug({ group, err: describeError(error) }, 'consumer lag not readable')
        }
      }
    } finally {
      this.#polling = false
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.#inner.close()
  }
}
