import type { DashboardSpec } from '../lib/dashboard-kit.ts'
import { p95, perSecond, processRow } from './queries.ts'

export const api: DashboardSpec = {
  uid: 'cryptoviz-api',
  title: 'CRYPTO VIZ — API',
  description: 'Requests, latency, cache hit rate and live push of the HTTP API.',
  rows: [
    [
      {
        title: 'Requests per second',
        kind: 'stat',
        unit: 'reqps',
        queries: [{ expr: 'sum(rate(cryptoviz_api_http_requests_total[1m]))' }]
      },
      {
        title: 'Cache hit rate',
        kind: 'stat',
        unit: 'percentunit',
        queries: [
          {
            expr: 'sum(rate(cryptoviz_api_cache_requests_total{result=~"local_hit|hit"}[5m])) / sum(rate(cryptoviz_api_cache_requests_total[5m]))'
          }
        ],
        redAbove: 0.5,
        lowIsBad: true
      },
      { title: 'Live clients', kind: 'stat', queries: [{ expr: 'sum(cryptoviz_api_live_clients)' }] },
      {
        title: '5xx share',
        kind: 'stat',
        unit: 'percentunit',
        queries: [
          {
            expr: 'sum(rate(cryptoviz_api_http_requests_total{status=~"5.."}[5m])) / sum(rate(cryptoviz_api_http_requests_total[5m]))'
          }
        ],
        redAbove: 0.01
      }
    ],
    [
      {
        title: 'Requests by route and status',
        unit: 'reqps',
        stacked: true,
        queries: [
          {
            expr: perSecond('cryptoviz_api_http_requests_total', 'route, status'),
            legend: '{{route}} {{status}}'
          }
        ]
      },
      {
        title: 'Latency (p95) by route',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_api_http_request_duration_seconds', 'route'), legend: '{{route}}' }]
      }
    ],
    [
      {
        title: 'Cache results',
        unit: 'ops',
        stacked: true,
        queries: [{ expr: perSecond('cryptoviz_api_cache_requests_total', 'result'), legend: '{{result}}' }]
      },
      {
        title: 'Cache errors',
        unit: 'ops',
        queries: [{ expr: perSecond('cryptoviz_api_cache_errors_total', 'op'), legend: '{{op}}' }]
      },
      {
        title: 'Live delivery (p95)',
        unit: 's',
        queries: [{ expr: p95('cryptoviz_api_live_delivery_seconds'), legend: 'stored → sent' }]
      }
    ],
    [
      {
        title: 'Live events heard',
        unit: 'ops',
        queries: [{ expr: perSecond('cryptoviz_api_live_events_total', 'channel'), legend: '{{channel}}' }]
      },
      {
        title: 'Live messages sent',
        unit: 'ops',
        queries: [{ expr: 'sum(rate(cryptoviz_api_live_messages_sent_total[1m]))', legend: 'messages' }]
      },
      {
        title: 'Live clients dropped',
        queries: [
          {
            expr: 'sum by (reason) (increase(cryptoviz_api_live_clients_dropped_total[5m]))',
            legend: '{{reason}}'
          }
        ]
      }
    ],
    processRow
  ]
}
