import type { DashboardSpec } from '../lib/dashboard-kit.ts'
import { p95, perSecond } from './queries.ts'

export const database: DashboardSpec = {
  uid: 'cryptoviz-database',
  title: 'CRYPTO VIZ — database',
  description: 'Write latency (transactions), read latency, errors, and what the jobs write.',
  rows: [
    [
      {
        title: 'Transaction time (p95) per role',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_db_transaction_duration_seconds', 'role'), legend: '{{role}}' }]
      },
      {
        title: 'Transactions per second',
        unit: 'ops',
        queries: [
          {
            expr: 'sum by (role, outcome) (rate(cryptoviz_db_transaction_duration_seconds_count[1m]))',
            legend: '{{role}} {{outcome}}'
          }
        ]
      },
      {
        title: 'Statement time outside transactions (p95)',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_db_query_duration_seconds', 'role'), legend: '{{role}}' }]
      }
    ],
    [
      {
        title: 'Database errors',
        unit: 'ops',
        queries: [
          { expr: 'sum by (role, code) (rate(cryptoviz_db_errors_total[1m]))', legend: '{{role}} {{code}}' }
        ]
      },
      {
        title: 'Ingest batch write (p50, p95)',
        unit: 's',
        queries: [
          {
            expr: 'histogram_quantile(0.5, sum by (le) (rate(cryptoviz_ingest_write_duration_seconds_bucket[5m])))',
            legend: 'p50'
          },
          { expr: p95('cryptoviz_ingest_write_duration_seconds'), legend: 'p95' }
        ]
      },
      {
        title: 'Analytics batch (p95), state rebuilds',
        queries: [
          { expr: p95('cryptoviz_analytics_batch_duration_seconds'), legend: 'batch seconds' },
          {
            expr: 'sum(increase(cryptoviz_analytics_state_rebuilds_total[5m]))',
            legend: 'rebuilds (5 min)'
          }
        ]
      }
    ],
    [
      {
        title: 'Rows stored by ingest',
        unit: 'rps',
        stacked: true,
        queries: [
          {
            expr: perSecond('cryptoviz_ingest_records_total', 'topic', '{outcome="stored"}'),
            legend: '{{topic}}'
          }
        ]
      },
      {
        title: 'Rows upserted by analytics',
        unit: 'rps',
        stacked: true,
        queries: [{ expr: perSecond('cryptoviz_analytics_rows_written_total', 'table'), legend: '{{table}}' }]
      },
      {
        title: 'Records per batch (p95)',
        queries: [
          { expr: p95('cryptoviz_ingest_batch_records'), legend: 'ingest' },
          { expr: p95('cryptoviz_analytics_batch_records'), legend: 'analytics' }
        ]
      }
    ]
  ]
}
