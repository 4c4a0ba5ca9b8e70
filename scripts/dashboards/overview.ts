import type { DashboardSpec } from '../lib/dashboard-kit.ts'
import { p95, perSecond, lagPerPartition, processRow } from './queries.ts'

export const overview: DashboardSpec = {
  uid: 'cryptoviz-overview',
  title: 'CRYPTO VIZ — pipeline overview',
  description: 'Throughput, lag, latency, errors and freshness of every stage, producers to API.',
  rows: [
    [
      {
        title: 'Roles up',
        kind: 'stat',
        queries: [{ expr: 'sum(up{job=~"producer|ingest|analytics|api"})' }],
        redAbove: 4,
        lowIsBad: true
      },
      {
        title: 'Total consumer lag',
        kind: 'stat',
        queries: [{ expr: `sum(${lagPerPartition})` }],
        redAbove: 10000
      },
      {
        title: 'Dead letters (5 min)',
        kind: 'stat',
        queries: [{ expr: 'sum(increase(cryptoviz_bus_published_records_total{topic="deadletter"}[5m]))' }],
        redAbove: 1
      },
      {
        title: 'Seconds since ingest committed',
        kind: 'stat',
        unit: 's',
        queries: [{ expr: 'time() - max(cryptoviz_ingest_last_batch_timestamp_seconds)' }],
        redAbove: 60
      },
      {
        title: 'Seconds since analytics committed',
        kind: 'stat',
        unit: 's',
        queries: [{ expr: 'time() - max(cryptoviz_analytics_last_batch_timestamp_seconds)' }],
        redAbove: 60
      },
      {
        title: 'API 5xx (5 min)',
        kind: 'stat',
        queries: [{ expr: 'sum(increase(cryptoviz_api_http_requests_total{status=~"5.."}[5m]))' }],
        redAbove: 1
      }
    ],
    [
      {
        title: 'Records published per topic',
        unit: 'rps',
        stacked: true,
        queries: [{ expr: perSecond('cryptoviz_bus_published_records_total', 'topic'), legend: '{{topic}}' }]
      },
      {
        title: 'Records consumed per group and topic',
        unit: 'rps',
        queries: [
          {
            expr: perSecond('cryptoviz_bus_consumed_records_total', 'group, topic'),
            legend: '{{group}} ← {{topic}}'
          }
        ]
      }
    ],
    [
      {
        title: 'Consumer lag per group',
        queries: [{ expr: `sum by (group) (${lagPerPartition})`, legend: '{{group}}' }]
      },
      {
        title: 'Producer receive → stored (p95)',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_ingest_latency_seconds', 'topic'), legend: '{{topic}}' }]
      },
      {
        title: 'Batch handler time (p95)',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_bus_handler_duration_seconds', 'group'), legend: '{{group}}' }]
      }
    ],
    [
      {
        title: 'Ingest outcomes',
        unit: 'rps',
        stacked: true,
        queries: [
          {
            expr: perSecond('cryptoviz_ingest_records_total', 'topic, outcome'),
            legend: '{{topic}} {{outcome}}'
          }
        ]
      },
      {
        title: 'Analytics outcomes',
        unit: 'rps',
        stacked: true,
        queries: [
          {
            expr: perSecond('cryptoviz_analytics_records_total', 'topic, outcome'),
            legend: '{{topic}} {{outcome}}'
          }
        ]
      },
      {
        title: 'Failed batch attempts',
        unit: 'ops',
        queries: [
          { expr: perSecond('cryptoviz_ingest_batch_failures_total', 'code'), legend: 'ingest {{code}}' },
          {
            expr: perSecond('cryptoviz_analytics_batch_failures_total', 'code'),
            legend: 'analytics {{code}}'
          }
        ]
      }
    ],
    processRow
  ]
}
