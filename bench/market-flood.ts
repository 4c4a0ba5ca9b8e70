/**
 * What the producer and article benchmarks both measure: the fake Kraken in a worker thread
 * (producer-server-worker.ts, its frames made before the clock starts) floods the market producer,
 * which publishes through a buffered publisher to a bus, on scratch Kafka topics of its own.
 */
import { Worker } from 'node:worker_threads'
import { Admin } from '@platformatic/kafka'
import type { Bus } from '../src/bus/bus.ts'
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../src/config/config.ts'
import { silentLogger } from '../src/log/logger.ts'
import { createMetricsRegistry } from '../src/ops/metrics.ts'
import { MarketProducer, type MarketTopics } from '../src/sources/kraken/market-producer.ts'
import { type ProducerMetrics, createProducerMetrics } from '../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../src/sources/publish/buffered-publisher.ts'

export const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD']
const servers = (process.env.KAFKA_SERVERS ?? '127.0.0.1:9092').split(',')

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

export interface Flood {
  trades: number
  tickers: number
  /** From the flood order until every message was published. */
  seconds: number
  /** From the flood order until the server had written every frame. */
  sentSeconds: number
}

export interface MarketRun {
  readonly metrics: ProducerMetrics
  /** Has the server write all its frames; resolves once the producer has published every message. */
  flood(): Promise<Flood>
  stop(): Promise<void>
}

/** Starts the server with `orders` taker orders per symbol and a producer subscribed to all of them. */
export async function startMarketRun(bus: Bus, topics: MarketTopics, orders: number): Promise<MarketRun> {
  const worker = new Worker(new URL('./producer-server-worker.ts', import.meta.url), {
    workerData: { symbols, orders }
  })
  const { wsUrl, restUrl } = await new Promise<{ wsUrl: string; restUrl: string }>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', resolve)
  })
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({
    bus,
    metrics,
    log: silentLogger(),
    maxRecords: 5_000_000,
    maxBatchRecords: 5000
  })
  const producer = new MarketProducer({
    kraken: { ...configFromEnv({}).kraken, wsUrl, restUrl, symbols, restMinIntervalMs: 0 },
    publisher,
    metrics,
    log: silentLogger(),
    topics
  })
  producer.start()
  await until(() => producer.status().subscribed === symbols.length * 2, 15_000)
  const published = async () => (await metrics.publishedRecords.get()).values.reduce((n, v) => n + v.value, 0)
  return {
    metrics,
    async flood() {
      const before = await published()
      const started = performance.now()
      const flooded = new Promise<{ trades: number; tickers: number }>(resolve =>
        worker.on(
          'message',
          (m: { type: string; trades: number; tickers: number }) => m.type === 'flooded' && resolve(m)
        )
      )
      worker.postMessage({ type: 'flood' })
      const { trades, tickers } = await flooded
      const sentSeconds = (performance.now() - started) / 1000
      await until(async () => (await published()) - before >= trades + tickers, 300_000)
      return { trades, tickers, seconds: (performance.now() - started) / 1000, sentSeconds }
    },
    async stop() {
      await producer.stop()
      await publisher.close(10_000)
      worker.postMessage({ type: 'close' })
      await new Promise(resolve => worker.once('exit', resolve))
    }
  }
}

/** Runs `measure` against fresh raw-market topics (3 partitions) on the broker, deleted afterwards. */
export async function withScratchTopics(
  measure: (bus: KafkaBus, topics: MarketTopics) => Promise<void>
): Promise<void> {
  const suffix = Date.now().toString(36)
  const topics = {
    trade: `bench-rawtrade-${suffix}`,
    ticker: `bench-rawticker-${suffix}`,
    ohlc: `bench-rawohlc-${suffix}`,
    book: `bench-rawbook-${suffix}`
  }
  const admin = new Admin({ clientId: 'crypto-viz-bench', bootstrapBrokers: servers })
  await admin.createTopics({ topics: Object.values(topics), partitions: 3, replicas: 1 })
  const bus = new KafkaBus({ servers, clientId: 'crypto-viz-bench' }, silentLogger())
  try {
    await measure(bus, topics)
  } finally {
    await bus.close()
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined)
    await admin.close()
  }
}
