/**
 * The producers' Prometheus metrics, all named `cryptoviz_producer_*` and registered on the role's
 * registry (docs/producers.md lists them). Components receive this object rather than the registry
 * so a test can read the very counters it expects to move.
 */
import { Counter, Gauge, Histogram, type Registry, batchBuckets, latencyBuckets } from '../ops/metrics.ts'

export function createProducerMetrics(registry: Registry) {
  const registers = [registry]
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: `cryptoviz_producer_${name}`, help, labelNames, registers })
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: `cryptoviz_producer_${name}`, help, labelNames, registers })
  const histogram = <L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = []
  ) => new Histogram<L>({ name: `cryptoviz_producer_${name}`, help, buckets, labelNames, registers })

  return {
    // The buffer between the sources and the bus.
    bufferedRecords: gauge('buffered_records', 'Records waiting in the producer buffer for the bus'),
    bufferCapacity: gauge(
      'buffer_capacity_records',
      'Bound of the producer buffer (PRODUCER_BUFFER_MAX_RECORDS)'
    ),
    publishedRecords: counter('published_records_total', 'Records the bus acknowledged', ['topic']),
    droppedRecords: counter(
      'dropped_records_total',
      'Records dropped because the buffer was full (Kafka unreachable for too long)',
      ['topic']
    ),
    publishFailures: counter('publish_failures_total', 'Failed publish attempts (retried)'),
    busUp: gauge('bus_up', '1 while the last publish succeeded, 0 while the bus is failing'),
    publishBatch: histogram('publish_batch_records', 'Records per publish call', batchBuckets),
    publishSeconds: histogram('publish_duration_seconds', 'Duration of one publish call', latencyBuckets),

    // Kraken WebSocket.
    wsConnected: gauge('ws_connected', '1 while the Kraken WebSocket is open'),
    wsConnectAttempts: counter('ws_connect_attempts_total', 'Kraken connection attempts', ['outcome']),
    wsDisconnects: counter('ws_disconnects_total', 'Kraken connections lost, by reason', ['reason']),
    wsFrames: counter('ws_frames_total', 'Kraken frames received, by kind or channel', ['kind']),
    wsPingRtt: gauge('ws_ping_rtt_seconds', 'Round trip of the last application-level ping'),
    exchangeOnline: gauge('exchange_online', '1 while Kraken reports system=online, 0 in maintenance'),
    watchdogTimeouts: counter('watchdog_timeouts_total', 'Connections recycled after inbound silence'),
    subscriptionRejections: counter(
      'subscription_rejections_total',
      'Subscriptions Kraken refused (success:false)',
      ['channel']
    ),
    staleStreams: gauge('stale_streams', 'Subscribed (channel, symbol) pairs currently without data'),
    staleAlarms: counter('stale_alarms_total', 'Staleness alarms raised', ['channel']),
    checksumFailures: counter('book_checksum_failures_total', 'Book checksum mismatches', ['symbol']),
    marketEvents: counter('market_events_total', 'Normalized market messages handed to the bus', ['channel']),
    duplicateTrades: counter('duplicate_trades_total', 'Trades dropped as already published', ['source']),
    tradeGaps: counter('trade_gaps_total', 'Jumps in the trade-id sequence (missed trades detected)'),
    gapFilledTrades: counter('gap_filled_trades_total', 'Missed trades recovered from REST Trades'),
    gapUnfilledTrades: counter('gap_unfilled_trades_total', 'Missed trades REST could not provide'),
    exchangeLag: histogram(
      'exchange_lag_seconds',
      'Receive time minus exchange time of live trades',
      latencyBuckets
    ),
    restRequests: counter('rest_requests_total', 'Kraken REST calls', ['endpoint', 'outcome']),

    // Anything unreadable, from any source.
    malformed: counter('malformed_total', 'Frames, rows or items that could not be read and were skipped', [
      'source'
    ]),

    // News feeds.
    feedPolls: counter('feed_polls_total', 'Feed polls by outcome', ['feed', 'outcome']),
    feedItems: counter('feed_items_total', 'Feed items by outcome', ['feed', 'outcome']),
    feedUp: gauge('feed_up', '1 when the last poll of the feed succeeded', ['feed']),
    feedLastSuccess: gauge('feed_last_success_timestamp_seconds', 'Time of the last good poll', ['feed']),

    // Article pages (main text).
    articleExtractions: counter(
      'article_extractions_total',
      'New articles by how their main text was obtained (status: extracted, feed, failed, skipped; reason: the problem kind)',
      ['feed', 'status', 'reason']
    ),
    articleWaiting: gauge('article_waiting', 'Articles waiting for their page (queued or being fetched)'),
    articleFetchSeconds: histogram(
      'article_fetch_seconds',
      'Time to fetch one article page once its turn came (redirects and body included)',
      latencyBuckets
    ),
    articleExtractSeconds: histogram(
      'article_extract_seconds',
      'Time the extraction worker spent on one page (decoding, parsing, Readability)',
      latencyBuckets
    ),
    articlePageBytes: counter('article_page_bytes_total', 'Bytes of article pages read (decompressed)'),
    articleRobots: counter(
      'article_robots_fetches_total',
      'robots.txt fetches by outcome (rules, no_rules, unreachable)',
      ['outcome']
    )
  }
}

export type ProducerMetrics = ReturnType<typeof createProducerMetrics>
