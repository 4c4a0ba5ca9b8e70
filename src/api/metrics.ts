/** The API's Prometheus metrics (documented in docs/metrics.md), registered on the process registry. */
import { Counter, Gauge, Histogram, type Registry, latencyBuckets } from '../ops/metrics.ts'

export interface ApiMetrics {
  requests: Counter<'method' | 'route' | 'status'>
  requestDuration: Histogram<'method' | 'route'>
  cacheRequests: Counter<'resource' | 'result'>
  cacheErrors: Counter<'op'>
  liveClients: Gauge
  liveEvents: Counter<'channel'>
  liveMessages: Counter
  liveDropped: Counter<'reason'>
  liveDeliverySeconds: Histogram
}

/** Creates the metrics once per registry (a second API server on the same registry reuses them). */
export function apiMetrics(registry: Registry): ApiMetrics {
  const cached = metricsByRegistry.get(registry)
  if (cached !== undefined) return cached
  const registers = [registry]
  const metrics: ApiMetrics = {
    requests: new Counter({
      name: 'cryptoviz_api_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers
    }),
    requestDuration: new Histogram({
      name: 'cryptoviz_api_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: latencyBuckets,
      registers
    }),
    cacheRequests: new Counter({
      name: 'cryptoviz_api_cache_requests_total',
      help: 'Cacheable reads by resource and result (local_hit, hit, miss, coalesced, error = cache failed and the database answered)',
      labelNames: ['resource', 'result'],
      registers
    }),
    cacheErrors: new Counter({
      name: 'cryptoviz_api_cache_errors_total',
      help: 'Cache operations that failed (get, set, invalidate); the API fell back to the database',
      labelNames: ['op'],
      registers
    }),
    liveClients: new Gauge({
      name: 'cryptoviz_api_live_clients',
      help: 'Live WebSocket clients connected to this instance',
      registers
    }),
    liveEvents: new Counter({
      name: 'cryptoviz_api_live_events_total',
      help: 'Live events heard from the live-events channel, by channel',
      labelNames: ['channel'],
      registers
    }),
    liveMessages: new Counter({
      name: 'cryptoviz_api_live_messages_sent_total',
      help: 'Messages sent to live clients (one event to N subscribers counts N)',
      registers
    }),
    liveDropped: new Counter({
      name: 'cryptoviz_api_live_clients_dropped_total',
      help: 'Live clients the server disconnected, by reason (slow: send queue over the bound; unresponsive: missed a ping)',
      labelNames: ['reason'],
      registers
    }),
    liveDeliverySeconds: new Histogram({
      name: 'cryptoviz_api_live_delivery_seconds',
      help: 'From the writer storing an event (storedAt) to this instance handing it to its clients',
      buckets: latencyBuckets,
      registers
    })
  }
  metricsByRegistry.set(registry, metrics)
  return metrics
}

const metricsByRegistry = new WeakMap<Registry, ApiMetrics>()
