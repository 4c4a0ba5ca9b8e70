import type { DashboardSpec } from '../lib/dashboard-kit.ts'
import { p95, perSecond } from './queries.ts'

export const producers: DashboardSpec = {
  uid: 'cryptoviz-producers',
  title: 'CRYPTO VIZ — producers',
  description: 'Kraken connection, trades and gaps, the buffer in front of Kafka, news feeds.',
  rows: [
    [
      {
        title: 'Kraken connected',
        kind: 'stat',
        queries: [{ expr: 'min(cryptoviz_producer_ws_connected)' }],
        redAbove: 1,
        lowIsBad: true
      },
      {
        title: 'Exchange online',
        kind: 'stat',
        queries: [{ expr: 'min(cryptoviz_producer_exchange_online)' }],
        redAbove: 1,
        lowIsBad: true
      },
      {
        title: 'Bus up',
        kind: 'stat',
        queries: [{ expr: 'min(cryptoviz_producer_bus_up)' }],
        redAbove: 1,
        lowIsBad: true
      },
      {
        title: 'Buffer fill',
        kind: 'stat',
        unit: 'percentunit',
        queries: [
          { expr: 'max(cryptoviz_producer_buffered_records / cryptoviz_producer_buffer_capacity_records)' }
        ],
        redAbove: 0.5
      },
      {
        title: 'Dropped (1 h)',
        kind: 'stat',
        queries: [{ expr: 'sum(increase(cryptoviz_producer_dropped_records_total[1h]))' }],
        redAbove: 1
      },
      {
        title: 'Stale streams',
        kind: 'stat',
        queries: [{ expr: 'sum(cryptoviz_producer_stale_streams)' }],
        redAbove: 1
      }
    ],
    [
      {
        title: 'Published per topic',
        unit: 'rps',
        stacked: true,
        queries: [
          { expr: perSecond('cryptoviz_producer_published_records_total', 'topic'), legend: '{{topic}}' }
        ]
      },
      {
        title: 'Buffered records',
        queries: [
          { expr: 'cryptoviz_producer_buffered_records', legend: 'buffered' },
          { expr: 'cryptoviz_producer_buffer_capacity_records', legend: 'capacity' }
        ]
      },
      {
        title: 'Publish time (p95) and batch size (p95)',
        queries: [
          { expr: p95('cryptoviz_producer_publish_duration_seconds'), legend: 'seconds' },
          { expr: p95('cryptoviz_producer_publish_batch_records'), legend: 'records' }
        ]
      }
    ],
    [
      {
        title: 'Kraken reconnects and disconnects',
        queries: [
          {
            expr: 'sum by (outcome) (increase(cryptoviz_producer_ws_connect_attempts_total[5m]))',
            legend: 'attempt {{outcome}}'
          },
          {
            expr: 'sum by (reason) (increase(cryptoviz_producer_ws_disconnects_total[5m]))',
            legend: 'lost: {{reason}}'
          },
          { expr: 'sum(increase(cryptoviz_producer_watchdog_timeouts_total[5m]))', legend: 'watchdog' }
        ]
      },
      {
        title: 'Frames per channel',
        unit: 'rps',
        queries: [{ expr: perSecond('cryptoviz_producer_ws_frames_total', 'kind'), legend: '{{kind}}' }]
      },
      {
        title: 'Exchange → receive (p95), ping round trip',
        unit: 's',
        queries: [
          { expr: p95('cryptoviz_producer_exchange_lag_seconds'), legend: 'trade lag p95' },
          { expr: 'cryptoviz_producer_ws_ping_rtt_seconds', legend: 'ping rtt' }
        ]
      }
    ],
    [
      {
        title: 'Trade gaps',
        queries: [
          { expr: 'sum(increase(cryptoviz_producer_trade_gaps_total[5m]))', legend: 'gaps' },
          {
            expr: 'sum(increase(cryptoviz_producer_gap_filled_trades_total[5m]))',
            legend: 'filled from REST'
          },
          { expr: 'sum(increase(cryptoviz_producer_gap_unfilled_trades_total[5m]))', legend: 'unfilled' },
          {
            expr: 'sum by (source) (increase(cryptoviz_producer_duplicate_trades_total[5m]))',
            legend: 'duplicates ({{source}})'
          }
        ]
      },
      {
        title: 'REST calls',
        unit: 'ops',
        queries: [
          {
            expr: perSecond('cryptoviz_producer_rest_requests_total', 'endpoint, outcome'),
            legend: '{{endpoint}} {{outcome}}'
          }
        ]
      },
      {
        title: 'Malformed input',
        unit: 'ops',
        queries: [{ expr: perSecond('cryptoviz_producer_malformed_total', 'source'), legend: '{{source}}' }]
      }
    ],
    [
      { title: 'Feeds up', queries: [{ expr: 'cryptoviz_producer_feed_up', legend: '{{feed}}' }] },
      {
        title: 'Feed items by outcome',
        queries: [
          {
            expr: 'sum by (outcome) (increase(cryptoviz_producer_feed_items_total[1h]))',
            legend: '{{outcome}}'
          }
        ]
      },
      {
        title: 'Seconds since each feed succeeded',
        unit: 's',
        queries: [
          { expr: 'time() - cryptoviz_producer_feed_last_success_timestamp_seconds', legend: '{{feed}}' }
        ]
      }
    ]
  ]
}
