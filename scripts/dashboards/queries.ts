/** Query shapes the dashboards share. */
import type { PanelSpec } from '../lib/dashboard-kit.ts'

export const p95 = (metric: string, by = ''): string =>
  `histogram_quantile(0.95, sum by (le${by === '' ? '' : `, ${by}`}) (rate(${metric}_bucket[5m])))`
export const perSecond = (metric: string, by: string, filter = ''): string =>
  `sum by (${by}) (rate(${metric}${filter}[1m]))`
/** Several members of a group report the same lag: fold them per partition. */
/**
 * The pipeline's topics as the broker names them (kafka-exporter's `topic` label): any TOPIC_PREFIX
 * in front of the declared names (PromQL anchors the whole regex).
 */
export const pipelineTopics = 'topic=~".*(raw[a-z]+|deadletter)"'

export const lagPerPartition = 'max by (group, topic, partition) (cryptoviz_bus_consumer_lag_records)'

export const processRow: PanelSpec[] = [
  {
    title: 'CPU per process',
    unit: 'percentunit',
    queries: [{ expr: 'rate(cryptoviz_process_cpu_seconds_total[1m])', legend: '{{job}} {{instance}}' }]
  },
  {
    title: 'Resident memory',
    unit: 'bytes',
    queries: [{ expr: 'cryptoviz_process_resident_memory_bytes', legend: '{{job}} {{instance}}' }]
  },
  {
    title: 'Event-loop lag p99',
    unit: 's',
    queries: [{ expr: 'cryptoviz_nodejs_eventloop_lag_p99_seconds', legend: '{{job}} {{instance}}' }]
  }
]
