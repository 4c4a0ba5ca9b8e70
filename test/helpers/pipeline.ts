/**
 * The real write path for the API tests: records published to Kafka topics of their own, consumed by
 * the real ingest role (and, on request, the analytics role), stored in the test database and
 * announced on the real live-events channel (Redis), exactly as in production.
 */
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { createAnalyticsRole } from '../../src/jobs/analytics/analytics-role.ts'
import { createIngestRole } from '../../src/jobs/ingest/ingest-role.ts'
import type { JobTopics } from '../../src/jobs/job-topics.ts'
import { RedisLiveEvents } from '../../src/live-events/redis-live-events.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import { Registry } from '../../src/ops/metrics.ts'
import type { RunningRole } from '../../src/role/role.ts'
import {
  type AlertV1,
  type ArticleV1,
  type TickerV1,
  type TradeV1,
  alertCodec,
  articleCodec,
  tickerCodec,
  tradeCodec
} from '../../src/schemas/index.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { testRedisUrl } from './api.ts'
import { createTopics, testKafka } from './kafka.ts'
import { uniqueName } from './names.ts'
import { waitFor } from './wait.ts'

export interface Pipeline {
  /** The pipeline's own topics (unique to this pipeline). */
  readonly topics: JobTopics
  trades(trades: readonly (Partial<TradeV1> & { symbol: string; tradeId: number })[]): Promise<void>
  tickers(
    tickers: readonly (Partial<TickerV1> & { symbol: string; last: string; exchangeTs: string })[]
  ): Promise<void>
  articles(
    articles: readonly (Partial<ArticleV1> & { id: string; title: string; publishedAt: string })[]
  ): Promise<void>
  alerts(
    alerts: readonly (Partial<AlertV1> & { id: string; symbol: string; eventTs: string })[]
  ): Promise<void>
  /** Waits until `sql` (a count) returns at least `count`. */
  stored(sql: string, count: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

export async function startPipeline(options: {
  databaseUrl: string
  analytics?: boolean
  /**
   * Redis key prefix of the live events the roles announce (default: the deployment default). A
   * test whose API must hear only its own pipeline gives one of its own: test files run side by
   * side, and every pipeline on the default prefix announces to every API listening there.
   */
  liveKeyPrefix?: string
}): Promise<Pipeline> {
  const [trade, ticker, article, alert, ohlc, book, deadLetter] = await createTopics(
    1,
    'trade',
    'ticker',
    'article',
    'alert',
    'ohlc',
    'book',
    'dead'
  )
  if (!trade || !ticker || !article || !alert || !ohlc || !book || !deadLetter)
    throw new Error('topics not created')
  const topics: JobTopics = { trade, ticker, article, alert, ohlc, book, deadLetter }
  const config = configFromEnv({
    KAFKA_SERVERS: testKafka.servers.join(','),
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: 'silent',
    INGEST_BATCH_MAX_WAIT_MS: '20',
    ANALYTICS_BATCH_MAX_WAIT_MS: '20'
  })
  const log = silentLogger()
  const bus = new KafkaBus(testKafka, log)
  const db = new PostgresDatabase({ url: options.databaseUrl, log, poolSize: 4 })
  const live = new RedisLiveEvents(
    testRedisUrl,
    log,
    options.liveKeyPrefix === undefined ? {} : { keyPrefix: options.liveKeyPrefix }
  )
  const controller = new AbortController()
  const roles = [createIngestRole({ topics, groupId: uniqueName('g-api-ingest') })]
  if (options.analytics === true)
    roles.push(createAnalyticsRole({ topics, groupId: uniqueName('g-api-analytics') }))
  const running: RunningRole[] = []
  for (const role of roles)
    running.push(
      await role.start({
        config,
        log,
        bus,
        health: new Health(),
        metrics: new Registry(),
        database: async () => db,
        live: () => live,
        signal: controller.signal
      })
    )
  const publish = async (
    topic: string,
    key: (value: never) => string,
    values: unknown[],
    encode: (v: never) => string
  ) => bus.publish(values.map(value => ({ topic, key: key(value as never), value: encode(value as never) })))
  const now = (): string => new Date().toISOString()
  return {
    topics,
    trades: list =>
      publish(
        trade,
        (t: TradeV1) => t.symbol,
        list.map(t => ({
          v: 1,
          type: 'trade',
          exchange: 'kraken',
          price: '100.5',
          qty: '0.25',
          side: 'buy',
          ordType: 'market',
          exchangeTs: now(),
          receivedAt: now(),
          source: 'ws',
          ...t
        })),
        (t: TradeV1) => tradeCodec.encode(t)
      ),
    tickers: list =>
      publish(
        ticker,
        (t: TickerV1) => t.symbol,
        list.map(t => ({
          v: 1,
          type: 'ticker',
          exchange: 'kraken',
          bid: t.last,
          bidQty: '1.5',
          ask: t.last,
          askQty: '2.5',
          volume: '1000',
          vwap: t.last,
          low: t.last,
          high: t.last,
          change: '-1.2',
          changePct: '-0.51',
          receivedAt: t.exchangeTs,
          ...t
        })),
        (t: TickerV1) => tickerCodec.encode(t)
      ),
    articles: list =>
      publish(
        article,
        (a: ArticleV1) => a.id,
        list.map(a => ({
          v: 1,
          type: 'article',
          source: 'coindesk',
          feedUrl: 'https://feeds.example.com/rss',
          url: `https://news.example.com/${a.id}`,
          summary: '',
          authors: ['Ann Author'],
          categories: ['Markets'],
          publishedAtEstimated: false,
          coins: [],
          sponsored: false,
          fetchedAt: a.publishedAt,
          ...a
        })),
        (a: ArticleV1) => articleCodec.encode(a)
      ),
    alerts: list =>
      publish(
        alert,
        (a: AlertV1) => a.symbol,
        list.map(a => ({
          v: 1,
          type: 'alert',
          rule: `${a.kind ?? 'price_move'}_rule`,
          kind: 'price_move',
          severity: 'warning',
          title: `title ${a.id}`,
          message: `message ${a.id}`,
          value: 3.2,
          threshold: 3,
          raisedAt: a.eventTs,
          details: { from: '1', to: '2' },
          ...a
        })),
        (a: AlertV1) => alertCodec.encode(a)
      ),
    async stored(sql, count, timeoutMs = 30_000) {
      await waitFor(
        `${count} row(s) for: ${sql}`,
        async () => ((await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0) >= count,
        timeoutMs,
        50
      )
    },
    async stop() {
      controller.abort()
      for (const role of running.reverse()) await role.stop()
      await bus.close()
      await live.close()
      await db.close()
    }
  }
}
