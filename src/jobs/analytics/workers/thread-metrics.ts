/**
 * The process's /metrics with its partition workers in it: every metric a worker reports is served
 * from the main thread's registry as the sum over the workers (and over the main thread's own
 * series of the same name, such as the bus's), using each metric's aggregator (a timestamp gauge
 * takes the latest, `max`). Values are read from the workers when Prometheus scrapes, so nothing is
 * copied between scrapes; one scrape asks each worker once.
 */
import { AggregatorRegistry, type Metric } from 'prom-client'
import type { Registry } from '../../../ops/metrics.ts'
import type { MetricJson, MetricsSnapshot } from './worker-messages.ts'

/**
 * Serves the metrics named in `first` (one snapshot per worker) from `registry`, summed with
 * whatever `collect` returns at each scrape. Returns the undo: the registry as it was.
 */
export function mirrorWorkerMetrics(
  registry: Registry,
  first: readonly MetricsSnapshot[],
  collect: () => Promise<MetricsSnapshot[]>
): () => void {
  let scrape: Promise<MetricsSnapshot[]> | undefined
  // The registry asks every metric at once: the first asks the workers, the others share the answer.
  const workersNow = (): Promise<MetricsSnapshot[]> =>
    (scrape ??= collect().finally(() => {
      scrape = undefined
    }))
  const shapes = new Map<string, MetricJson>()
  for (const snapshot of first) for (const metric of snapshot) shapes.set(metric.name, metric)
  const replaced: Metric[] = []
  for (const [name, shape] of shapes) {
    const own = registry.getSingleMetric(name)
    if (own !== undefined) {
      replaced.push(own)
      registry.removeSingleMetric(name)
    }
    const empty: MetricJson = {
      name,
      help: shape.help,
      type: shape.type,
      aggregator: shape.aggregator,
      values: []
    }
    const mirror = {
      name,
      help: shape.help,
      type: shape.type,
      aggregator: shape.aggregator,
      async get(): Promise<MetricJson> {
        const parts: MetricJson[][] = (await workersNow()).map(s => s.filter(m => m.name === name))
        if (own !== undefined) parts.push([(await own.get()) as MetricJson])
        const summed = AggregatorRegistry.aggregate(parts).getSingleMetric(name)
        return summed === undefined ? empty : ((await summed.get()) as MetricJson)
      }
    }
    // The registry only calls get() and reads name, help and type: the shape prom-client's own
    // AggregatorRegistry registers too, which its typings do not describe.
    registry.registerMetric(mirror as unknown as Metric)
  }
  return () => {
    for (const name of shapes.keys()) registry.removeSingleMetric(name)
    for (const metric of replaced) registry.registerMetric(metric)
  }
}
