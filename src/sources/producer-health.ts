/**
 * The producers' health checks, read by /health/ready: the Kraken connection (critical: a producer
 * that has been cut off from its exchange for a while is not doing its job), the buffer in front of
 * the bus, and the news feeds (not critical: news is secondary to market data).
 */
import type { CheckResult, Health } from '../ops/health.ts'
import type { MarketProducer } from './kraken/market-producer.ts'
import type { NewsProducer } from './news/news-producer.ts'
import type { BufferedPublisher } from './publish/buffered-publisher.ts'

/** A reconnect within this long is "degraded", not "down": reconnects are routine. */
const DISCONNECTED_DOWN_AFTER_MS = 30_000

export function krakenCheck(market: MarketProducer): () => CheckResult {
  return () => {
    const s = market.status()
    const data = { ...s }
    if (!s.connected) {
      const long = s.lastFrameAgoMs === undefined || s.lastFrameAgoMs > DISCONNECTED_DOWN_AFTER_MS
      return {
        status: long ? 'down' : 'degraded',
        detail: `not connected to Kraken (${s.connections} connection(s) so far)`,
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
    const data = { buffered: publisher.buffered, capacity }
    if (!publisher.failing) return { status: 'up', detail: `${publisher.buffered} buffered`, data }
    return {
      status: 'degraded',
      detail: `bus failing; ${publisher.buffered}/${capacity} records buffered`,
      data
    }
  }
}

export function newsCheck(news: NewsProducer): () => CheckResult {
  return () => {
    const feeds = news.status()
    const failing = feeds.filter(f => f.state === 'failing')
    const data = { feeds }
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
  parts: { market?: MarketProducer; news?: NewsProducer; publisher: BufferedPublisher; capacity: number }
): () => void {
  const names: string[] = []
  const add = (name: string, check: () => CheckResult, critical: boolean): void => {
    health.register(name, check, { critical })
    names.push(name)
  }
  add('producer-buffer', publisherCheck(parts.publisher, parts.capacity), false)
  if (parts.market !== undefined) add('kraken', krakenCheck(parts.market), true)
  if (parts.news !== undefined) add('news-feeds', newsCheck(parts.news), false)
  return () => {
    for (const name of names) health.unregister(name)
  }
}
