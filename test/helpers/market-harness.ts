/**
 * A market producer wired for tests: the fake Kraken (real sockets) in front, the real broker behind
 * (fresh topics per test), liveness timings shortened so recoveries happen within a test's patience.
 */
import type { Bus } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { type FakeKraken, startFakeKraken } from '../../src/sim/kraken/fake-kraken-server.ts'
import type { MarketSource } from '../../src/sim/kraken/market.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import {
  type KrakenSettings,
  MarketProducer,
  type MarketProducerOptions,
  type MarketTopics
} from '../../src/sources/kraken/market-producer.ts'
import { type ProducerMetrics, createProducerMetrics } from '../../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../../src/sources/publish/buffered-publisher.ts'
import { createTopics, testKafka } from './kafka.ts'

export interface MarketHarness {
  server: FakeKraken
  market: MarketSource
  producer: MarketProducer
  publisher: BufferedPublisher
  metrics: ProducerMetrics
  topics: MarketTopics
  stop(): Promise<void>
}

export async function startMarketHarness(
  options: {
    symbols?: string[]
    market?: MarketSource
    kraken?: Partial<KrakenSettings>
    tuning?: MarketProducerOptions['tuning']
    bus?: Bus
    heartbeatMs?: number
  } = {}
): Promise<MarketHarness> {
  const symbols = options.symbols ?? ['BTC/USD', 'ETH/USD']
  const market = options.market ?? new SyntheticMarket({ symbols, seed: 42 })
  const server = await startFakeKraken({ market, heartbeatMs: options.heartbeatMs ?? 100 })
  const [trade = '', ticker = '', ohlc = '', book = ''] = await createTopics(
    3,
    'trade',
    'ticker',
    'ohlc',
    'book'
  )
  const topics = { trade, ticker, ohlc, book }
  const bus = options.bus ?? new KafkaBus(testKafka, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({ bus, metrics, log: silentLogger(), maxRecords: 100_000 })
  const kraken: KrakenSettings = {
    ...configFromEnv({}).kraken,
    wsUrl: server.wsUrl,
    restUrl: server.restUrl,
    symbols,
    watchdogMs: 2_000,
    staleAfterMs: 60_000,
    reconnectMaxMs: 300,
    restMinIntervalMs: 0,
    ...options.kraken
  }
  const producer = new MarketProducer({
    kraken,
    publisher,
    metrics,
    log: silentLogger(),
    topics,
    tuning: {
      backoffInitialMs: 50,
      pongTimeoutMs: 500,
      ackTimeoutMs: 1_000,
      restRetryInitialMs: 20,
      bookPublishIntervalMs: 50,
      ...options.tuning
    }
  })
  producer.start()
  return {
    server,
    market,
    producer,
    publisher,
    metrics,
    topics,
    stop: async () => {
      market.stop()
      await producer.stop()
      await publisher.close(10_000)
      await bus.close()
      await server.close()
    }
  }
}

/** Sum of a counter or gauge over all its labels. */
export async function total(metric: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0)
}
