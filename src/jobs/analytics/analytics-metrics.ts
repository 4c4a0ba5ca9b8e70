/** The analytics role's Prometheus metrics (documented in docs/metrics.md). */
import { Counter, Gauge, Histogram, type Registry, batchBuckets, latencyBuckets } from '../../ops/metrics.ts'

export function analyticsMetrics(registry: Registry) {
  const registers = [registry]
  return {
    records: new Counter({
      name: 'cryptoviz_analytics_records_total',
      help: 'Records consumed by analytics, by topic and outcome (applied, late, duplicate, replayed, invalid).',
      labelNames: ['topic', 'outcome'] as const,
      registers
    }),
    batches: new Histogram({
      name: 'cryptoviz_analytics_batch_records',
      help: 'Records per analytics batch.',
      buckets: batchBuckets,
      registers
    }),
    batchSeconds: new Histogram({
      name: 'cryptoviz_analytics_batch_duration_seconds',
      help: 'Time to compute and commit one batch.',
      buckets: latencyBuckets,
      registers
    }),
    failures: new Counter({
      name: 'cryptoviz_analytics_batch_failures_total',
      help: 'Failed batch attempts (retried after reloading state), by error code.',
      labelNames: ['code'] as const,
      registers
    }),
    rebuilds: new Counter({
      name: 'cryptoviz_analytics_state_rebuilds_total',
      help: 'Partitions whose state was (re)loaded from the database, after an assignment or a failed batch.',
      registers
    }),
    rebuildSeconds: new Histogram({
      name: 'cryptoviz_analytics_state_rebuild_duration_seconds',
      help: 'Time to reload the state of the partitions of one batch.',
      buckets: latencyBuckets,
      registers
    }),
    rows: new Counter({
      name: 'cryptoviz_analytics_rows_written_total',
      help: 'Rows upserted by analytics, by table.',
      labelNames: ['table'] as const,
      registers
    }),
    alerts: new Counter({
      name: 'cryptoviz_analytics_alerts_total',
      help: 'Alerts published to the alert topic, by rule.',
      labelNames: ['rule'] as const,
      registers
    }),
    lastBatch: new Gauge({
      name: 'cryptoviz_analytics_last_batch_timestamp_seconds',
      help: 'When the last batch was committed (Unix time).',
      // Summed over an analytics process's worker threads, the latest is the one that means something.
      aggregator: 'max',
      registers
    }),
    liveFailures: new Counter({
      name: 'cryptoviz_analytics_live_publish_failures_total',
      help: 'Live events not published after a commit (the data is stored).',
      registers
    })
  }
}

export type AnalyticsMetrics = ReturnType<typeof analyticsMetrics>
