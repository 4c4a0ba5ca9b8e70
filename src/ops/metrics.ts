/**
 * Prometheus metrics. One registry per process; every metric is named `cryptoviz_<stage>_<what>`
 * with a unit suffix, and documented in docs/metrics.md (a test keeps the table and the code in step).
 */
import { Registry, collectDefaultMetrics } from 'prom-client'

export { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client'

export function createMetricsRegistry(labels: Record<string, string> = {}): Registry {
  const registry = new Registry()
  registry.setDefaultLabels(labels)
  collectDefaultMetrics({ register: registry, prefix: 'cryptoviz_' })
  return registry
}

/** Latency buckets (seconds) from 1 ms to 30 s: stage latencies span both ends. */
export const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Batch-size buckets (records per batch). */
export const batchBuckets = [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000]
