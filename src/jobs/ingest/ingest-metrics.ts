/** The ingest role's Prometheus metrics (documented in docs/metrics.md). */
import { Counter, Gauge, Histogram, type Registry, batchBuckets, latencyBuckets } from '../../ops/metrics.ts'

export function ingestMetrics(registry: Registry) {
  const registers = [registry]
  return {
    records: new Counter({
      name: 'cryptoviz_ingest_records_total',
      help: 'Records consumed by ingest, by topic and outcome (stored, duplicate, dead_lettered).',
      labelNames: ['topic', 'outcome'] as const,
      registers
    }),
    batches: new Histogram({
      name: 'cryptoviz_ingest_batch_records',
      help: 'Records per ingest batch.',
      buckets: batchBuckets,
      registers
    }),
    writeSeconds: new Histogram({
      name: 'cryptoviz_ingest_write_duration_seconds',
      help: 'Time to write one batch to the database (one transaction).',
      buckets: latencyBuckets,
      registers
    }),
    latency: new Histogram({
      name: 'cryptoviz_ingest_latency_seconds',
      help: "From a record's receive time at the producer to its commit in the database, by topic.",
      labelNames: ['topic'] as const,
      buckets: latencyBuckets,
      registers
    }),
    failures: new Counter({
      name: 'cryptoviz_ingest_batch_failures_total',
      help: 'Failed batch attempts (retried with backoff), by error code.',
      labelNames: ['code'] as const,
      registers
    }),
    lastBatch: new Gauge({
      name: 'cryptoviz_ingest_last_batch_timestamp_seconds',
      help: 'When the last batch was committed (Unix time).',
      registers
    }),
    liveFailures: new Counter({
      name: 'cryptoviz_ingest_live_publish_failures_total',
      help: 'Live events not published after a commit (the data is stored).',
      registers
    })
  }
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>
