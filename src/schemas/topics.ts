/**
 * Topics as code: the one list of topics the pipeline uses, with their partitioning key, partitions,
 * replication and retention. `crypto-viz topics` creates exactly these; nothing else creates topics
 * (the broker's auto-create is off).
 */
import type { Config } from '../config/config.ts'

export const TopicNames = {
  ticker: 'rawticker',
  trade: 'rawtrade',
  article: 'rawarticle',
  alert: 'rawalert',
  /** Kraken's own candles (WS ohlc channel, REST OHLC backfill): a reference beside ours. */
  ohlc: 'rawohlc',
  /** Checksum-verified top-of-book snapshots (WS book channel, optional). */
  book: 'rawbook',
  /** Records that failed validation, with the reason and their origin in headers. */
  deadLetter: 'deadletter'
} as const

export type TopicName = (typeof TopicNames)[keyof typeof TopicNames]

export interface TopicSpec {
  readonly name: TopicName
  readonly key: string
  readonly description: string
  readonly partitions: number
  readonly replicationFactor: number
  /** The topic's min.insync.replicas: with acks=all, a write succeeds once this many copies hold it. */
  readonly minInsyncReplicas: number
  readonly retentionMs: number
}

const HOUR_MS = 3_600_000

export function declaredTopics(topics: Config['topics']): readonly TopicSpec[] {
  const raw = (name: TopicName, key: string, description: string): TopicSpec => ({
    name,
    key,
    description,
    partitions: topics.partitions,
    replicationFactor: topics.replicationFactor,
    minInsyncReplicas: topics.minInsyncReplicas,
    retentionMs: topics.retentionHours * HOUR_MS
  })
  return [
    raw(TopicNames.ticker, 'symbol', 'Kraken ticker (level 1) updates'),
    raw(TopicNames.trade, 'symbol', 'Kraken trades'),
    raw(TopicNames.article, 'article id', 'news articles from RSS/Atom feeds'),
    raw(TopicNames.alert, 'symbol', 'alerts raised by the analytics rules'),
    raw(TopicNames.ohlc, 'symbol', "Kraken's own OHLC candles (optional channel, backfill)"),
    raw(TopicNames.book, 'symbol', 'checksum-verified order book tops (optional channel)'),
    {
      ...raw(TopicNames.deadLetter, 'origin key', 'records that failed validation, with reason and origin'),
      retentionMs: topics.deadLetterRetentionHours * HOUR_MS
    }
  ]
}
