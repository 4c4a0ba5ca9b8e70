/** A news producer for tests: fixture feeds from the fake feed server, real broker behind, a temp data dir. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { type FeedSpec, configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { NewsProducer, type NewsSettings } from '../../src/sources/news/news-producer.ts'
import { type ProducerMetrics, createProducerMetrics } from '../../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../../src/sources/publish/buffered-publisher.ts'
import { testKafka } from './kafka.ts'

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'cv-news-'))
}

export interface NewsRun {
  producer: NewsProducer
  metrics: ProducerMetrics
  /** Waits until the bus acknowledged everything handed over so far. */
  flush(): Promise<boolean>
  /** Stops polling, flushes the publisher, persists the seen-set (a graceful shutdown). */
  stop(): Promise<void>
}

export async function startNews(options: {
  feeds: FeedSpec[]
  topic: string
  dataDir: string
  news?: Partial<NewsSettings>
  /** Article pages: route and loopback hosts (default: pages not fetched unless `news.articles` says). */
  pages?: { route?: (url: URL) => URL; allowPrivate?: readonly string[] }
}): Promise<NewsRun> {
  const defaults = configFromEnv({}).news
  // Fixture feeds link to the real sites: without a route to the site farm, pages are not fetched.
  const articles = { ...defaults.articles, feeds: { kind: 'only' as const, names: [] } }
  const bus = new KafkaBus(testKafka, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({ bus, metrics, log: silentLogger(), maxRecords: 10_000 })
  const producer = await NewsProducer.create({
    news: { ...defaults, articles, feeds: options.feeds, fetchTimeoutMs: 1_000, ...options.news },
    ...(options.pages === undefined ? {} : { pages: options.pages }),
    dataDir: options.dataDir,
    publisher,
    metrics,
    log: silentLogger(),
    topic: options.topic
  })
  return {
    producer,
    metrics,
    flush: () => publisher.flush(10_000),
    stop: async () => {
      await producer.stop()
      await publisher.close(10_000)
      await producer.close()
      await bus.close()
    }
  }
}
