/**
 * The bus's Prometheus metrics (`cryptoviz_bus_*`, documented in docs/metrics.md): what every role
 * publishes and consumes, per topic and group, how long its batch handlers take, and the lag of its
 * consumer groups per partition. Measured at the port, so both buses and every role report alike.
 */
import { Counter, Gauge, Histogram, type Registry, batchBuckets, latencyBuckets } from '../ops/metrics.ts'

export function createBusMetrics(registry: Registry) {
  const registers = [registry]
  return {
    published: new Counter({
      name: 'cryptoviz_bus_published_records_total',
      help: 'Records the bus acknowledged (durable), by topic; topic="deadletter" counts dead letters.',
      labelNames: ['topic'] as const,
      registers
    }),
    publishFailures: new Counter({
      name: 'cryptoviz_bus_publish_failures_total',
      help: 'Publish calls that failed, by error code (the caller retries or buffers).',
      labelNames: ['code'] as const,
      registers
    }),
    publishSeconds: new Histogram({
      name: 'cryptoviz_bus_publish_duration_seconds',
      help: 'Time for one publish call to become durable.',
      buckets: latencyBuckets,
      registers
    }),
    consumed: new Counter({
      name: 'cryptoviz_bus_consumed_records_total',
      help: 'Records whose batch handler succeeded (about to be committed), by group and topic.',
      labelNames: ['group', 'topic'] as const,
      registers
    }),
    batchRecords: new Histogram({
      name: 'cryptoviz_bus_batch_records',
      help: 'Records per batch handed to a handler, by group.',
      labelNames: ['group'] as const,
      buckets: batchBuckets,
      registers
    }),
    handlerSeconds: new Histogram({
      name: 'cryptoviz_bus_handler_duration_seconds',
      help: 'Time one batch handler call took (processing latency of a batch), by group.',
      labelNames: ['group'] as const,
      buckets: latencyBuckets,
      registers
    }),
    handlerFailures: new Counter({
      name: 'cryptoviz_bus_handler_failures_total',
      help: 'Batch handler calls that threw (the same records are retried with backoff), by group.',
      labelNames: ['group'] as const,
      registers
    }),
    rebalances: new Counter({
      name: 'cryptoviz_bus_rebalances_total',
      help: 'Partition assignments this member received (its start, then every rebalance), by group.',
      labelNames: ['group'] as const,
      registers
    }),
    assigned: new Gauge({
      name: 'cryptoviz_bus_assigned_partitions',
      help: 'Partitions this member currently owns, by group.',
      labelNames: ['group'] as const,
      registers
    }),
    lag: new Gauge({
      name: 'cryptoviz_bus_consumer_lag_records',
      help: 'Records not yet committed by the group (end offset minus committed offset), per partition; read every LAG_POLL_INTERVAL_MS.',
      labelNames: ['group', 'topic', 'partition'] as const,
      // Every member of a group reads the same lag: threads of one process report it once.
      aggregator: 'max',
      registers
    }),
    lagPollFailures: new Counter({
      name: 'cryptoviz_bus_lag_poll_failures_total',
      help: 'Lag readings that failed (broker unreachable); the lag series are withdrawn until the next success.',
      labelNames: ['group'] as const,
      registers
    })
  }
}

export type BusMetrics = ReturnType<typeof createBusMetrics>
