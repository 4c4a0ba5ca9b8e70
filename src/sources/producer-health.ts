/**
 * The producers' health checks, read by /health/ready: the Kraken connection (critical: a producer
 * that has been cut off from its exchange for a while is not doing its job), the buffer in front of
 * the bus, and the news feeds (not critical: news is secondary to market data). The Kraken and news
 * checks also carry the connection in the shared vocabulary of ops/source-status.ts
 * (`data.connection`, `data.mode`), which the API and the terminal show.
 */
import type { CheckResult, Health } from '../ops/health.ts'
import { type SourceStatus, looksUnreachable } from '../ops/source-status.ts'
import type { KrakenWsStatus } from './kraken/ws-client.ts'
import type { MarketProducer } from './kraken/market-producer.ts'
import type { FeedStatus } from './news/feed-poller.ts'
import type { NewsProducer } from './news/news-producer.ts'
import type { BufferedPublisher } from './publish/buffered-publisher.ts'

/** A reconnect within this long is "degraded", not "down": reconnects are routine. */
const DISCONNECTED_DOWN_AFTER_MS = 30_000

type SourceMode = 'live' | 'replay'

export function krakenConnection(s: KrakenWsStatus): SourceStatus {
  if (s.connected)
    return s.subscribed > 0
      ? { state: 'connected', detail: `${s.subscribed} streams live` }
      : { state: 'connecting', detail: 'connected, subscribing' }
  if (s.failedAttempts > 0 && looksUnreachable(s.lastError))
    return { state: 'unreachable', detail: s.lastError ?? 'no connection' }
  if (s.connections === 0) return { state: 'connecting', detail: s.lastError ?? 'first connection' }
  return { state: 'reconnecting', detail: s.lastError ?? 'connection lost' }
}

export function newsConnection(feeds: readonly FeedStatus[]): SourceStatus {
  const failing = feeds.filter(f => f.state === 'failing')
  const pending = feeds.filter(f => f.state === 'pending').length
  // The first polls are spread over a few seconds: judge the feeds once each has answered.
  if (pending > 0)
    return { state: 'connecting', detail: `${feeds.length - pending}/${feeds.length} feeds polled` }
  if (failing.length === 0) return { state: 'connected', detail: `${feeds.length} feeds` }
  const first = failing[0]?.lastError
  const example = first === undefined ? '' : `, e.g. ${first.message}`
  if (failing.length === feeds.length && failing.every(f => looksUnreachable(f.lastError?.message)))
    return { state: 'unreachable', detail: `${failing.length}/${feeds.length} feeds failing${example}` }
  return { state: 'degraded', detail: `${failing.length}/${feeds.length} feeds failing${example}` }
}

export function krakenCheck(market: MarketProducer, mode: SourceMode = 'live'): () => CheckResult {
  return () => {
    const s = market.status()
    const data = { ...s, mode, connection: krakenConnection(s) }
    if (!s.connected) {
      const long = s.lastFrameAgoMs === undefined || s.lastFrameAgoMs > DISCONNECTED_DOWN_AFTER_MS
      return {
        status: long ? 'down' : 'degraded',
        detail: `not connected to Kraken: ${data.connection.state} (${data.connection.detail}; ${s.connections} connection(s) so far)`,
        data
      }
    }
    const problems = [
      ...(s.exchange !== 'online' && s.exchange !== 'unknown' ? [`exchange status ${s.exchange}`] : []),
      ...s.rejected.map(r => `rejected ${r}`),
      ...s.stale.map(r => `stale ${r}`),
      ...s.pending.map(r => `awaiting ack ${r}`)
    ]
    return problems.length === 0
      ? { status: 'up', detail: `${s.subscribed} streams live`, data }
      : { status: 'degraded', detail: problems.join('; '), data }
  }
}

export function publisherCheck(publisher: BufferedPublisher, capacity: number): () => CheckResult {
  return () => {
    // The stage's activity (records published, the last one's time, the rate): what the pipeline
    // status shows for the producers.
    const data = { buffered: publisher.buffered, capacity, ...publisher.activity() }
    if (!publisher.failing)
      return {
        status: 'up',
        detail: `${data.recordsHandled} published, ${publisher.buffered} buffered`,
        data
      }
    return {
      status: 'degraded',
      detail: `bus failing; ${publisher.buffered}/${capacity} records buffered`,
      data
    }
  }
}

export function newsCheck(news: NewsProducer, mode: SourceMode = 'live'): () => CheckResult {
  return () => {
    const feeds = news.status()
    const failing = feeds.filter(f => f.state === 'failing')
    const data = { feeds, mode, connection: newsConnection(feeds) }
    if (failing.length === 0) return { status: 'up', detail: `${feeds.length} feeds`, data }
    return {
      status: failing.length === feeds.length ? 'down' : 'degraded',
      detail: failing.map(f => `${f.name}: ${f.lastError?.kind ?? 'failing'}`).join('; '),
      data
    }
  }
}

export function registerProducerHealth(
  health: Health,
  parts: {
    market?: MarketProducer
    news?: NewsProducer
    publisher: BufferedPublisher
    capacity: number
    mode?: SourceMode
  }
): () => void {
  const names: string[] = []
  const add = (name: string, check: () => CheckResult, critical: boolean): void => {
    health.register(name, check, { critical })
    names.push(name)
  }
  add('producer-buffer', publisherCheck(parts.publisher, parts.capacity), false)
  if (parts.market !== undefined) add('kraken', krakenCheck(parts.market, parts.mode), true)
  if (parts.news !== undefined) add('news-feeds', newsCheck(parts.news, parts.mode), false)
  return () => {
    for (const name of names) health.unregister(name)
  }
}
