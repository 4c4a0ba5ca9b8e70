/**
 * What the doctor checks, from the configuration: the declared topics, the groups of the ingest and
 * analytics roles and the topics they read, the producers' topics, and the bus to look at (Kafka,
 * or the embedded folder). Tests override parts (topics and groups of their own) to cause failures
 * without disturbing a shared broker.
 */
import { busKind, embeddedBusDir } from '../bus/create-bus.ts'
import { kafkaConnection } from '../bus/kafka/kafka-options.ts'
import { TopicNames, declaredTopics } from '../schemas/topics.ts'
import type { Config } from '../config/config.ts'
import type { DoctorContext } from './doctor.ts'
import { EmbeddedProbe } from './embedded-probe.ts'
import { KafkaProbe } from './kafka-probe.ts'

export interface DoctorOptions {
  apiUrl?: string
  maxLag?: number
  maxAgeSeconds?: number
  timeoutMs?: number
}

/** News feeds are polled every few minutes and can be quiet for hours: only a day without warns. */
const NEWS_MAX_AGE_SECONDS = 86_400

export function defaultApiUrl(config: Config): string {
  const host = config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`
}

const channelTopics: Readonly<Record<string, string>> = {
  trade: TopicNames.trade,
  ticker: TopicNames.ticker,
  ohlc: TopicNames.ohlc,
  book: TopicNames.book
}

/** The topics the configured producers write (Kraken's channels, the news feeds). */
function producerTopics(config: Config): DoctorContext['producerTopics'] {
  const out: { topic: string; source: string; maxAgeSeconds?: number }[] = []
  if (config.sources.enabled.includes('kraken'))
    for (const channel of config.kraken.channels) {
      const topic = channelTopics[channel]
      if (topic !== undefined) out.push({ topic, source: `kraken ${channel}` })
    }
  if (config.sources.enabled.includes('news'))
    out.push({ topic: TopicNames.article, source: 'news', maxAgeSeconds: NEWS_MAX_AGE_SECONDS })
  return out
}

export function doctorContext(
  config: Config,
  options: DoctorOptions = {},
  overrides: Partial<Pick<DoctorContext, 'topics' | 'groups' | 'producerTopics'>> = {}
): DoctorContext {
  const mode = busKind(config)
  const timeoutMs = options.timeoutMs ?? 5_000
  const t = TopicNames
  return {
    config,
    mode,
    topics: overrides.topics ?? declaredTopics(config.topics),
    groups: overrides.groups ?? [
      {
        role: 'ingest',
        id: config.ingest.groupId,
        topics: [t.ticker, t.trade, t.article, t.alert, t.ohlc, t.book]
      },
      { role: 'analytics', id: config.analytics.groupId, topics: [t.trade, t.ticker, t.article] }
    ],
    producerTopics: overrides.producerTopics ?? producerTopics(config),
    maxLag: options.maxLag ?? 10_000,
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
    apiUrl: (options.apiUrl ?? defaultApiUrl(config)).replace(/\/+$/, ''),
    timeoutMs,
    bus:
      mode === 'kafka'
        ? new KafkaProbe(kafkaConnection(config), timeoutMs)
        : new EmbeddedProbe(embeddedBusDir(config)),
    facts: {}
  }
}
