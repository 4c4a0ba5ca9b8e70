/**
 * Producer throughput: messages per second from the fake Kraken (WebSocket v2, real socket) through
 * the market producer (parse with lexemes, normalize, dedupe, validate) into Kafka (idempotent
 * producer, acks=all, compressed batches). Two runs: with a bus that discards (the client's own
 * ceiling) and with the real broker (end to end). Figures only; never an assertion.
 *
 *   npm run bench:producer            # ORDERS=5000 per symbol by default
 */
import { availableParallelism, cpus } from 'node:os'
import { Worker } from 'node:worker_threads'
import { Admin } from '@platformatic/kafka'
import type { Bus } from '../src/bus/bus.ts'
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../src/config/config.ts'
import { silentLogger } from '../src/log/logger.ts'
import { createMetricsRegistry } from '../src/ops/metrics.ts'
import { MarketProducer } from '../src/sources/kraken/market-producer.ts'
import { createProducerMetrics } from '../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../src/sources/publish/buffered-publisher.ts'

const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD']
const orders = Number(process.env.ORDERS ?? 5000)
const servers = (process.env.KAFKA_SERVERS ?? '127.0.0.1:9092').split(',')

interface Flooded {
  trades: number
  tickers: number
}

function startServer(): Promise<{ worker: Worker; wsUrl: string; restUrl: string }> {
  const worker = new Worker(new URL('./producer-server-worker.ts', import.meta.url), {
    workerData: { symbols, orders }
  })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (m: { wsUrl: string; restUrl: string }) => resolve({ worker, ...m }))
  })
}

const until = async (check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

async function runOnce(
  label: string,
  bus: Bus,
  topics: { trade: string; ticker: string; ohlc: string; book: string }
) {
  const { worker, wsUrl, restUrl } = await startServer()
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
  const before = await published()
  const started = performance.now()
  const flooded = new Promise<Flooded>(resolve =>
    worker.on('message', (m: { type: string } & Flooded) => m.type === 'flooded' && resolve(m))
  )
  worker.postMessage({ type: 'flood' })
  const { trades, tickers } = await flooded
  const sentAt = performance.now()
  const expected = trades + tickers
  await until(async () => (await published()) - before >= expected, 300_000)
  const seconds = (performance.now() - started) / 1000
  const batches = await metrics.publishBatch.get()
  const count = batches.values.find(v => v.metricName?.endsWith('_count'))?.value ?? 0
  const sum = batches.values.find(v => v.metricName?.endsWith('_sum'))?.value ?? 0
  console.log(
    `${label.padEnd(28)} ${expected.toLocaleString('en').padStart(9)} msgs (${trades.toLocaleString('en')} trades + ${tickers.toLocaleString('en')} tickers) in ${seconds.toFixed(2)} s` +
      ` = ${Math.round(expected / seconds)
        .toLocaleString('en')
        .padStart(
          7
        )} msg/s  (server sent all in ${((sentAt - started) / 1000).toFixed(2)} s; mean publish batch ${count > 0 ? Math.round(sum / count) : 0})`
  )
  await producer.stop()
  await publisher.close(10_000)
  worker.postMessage({ type: 'close' })
  await new Promise(resolve => worker.once('exit', resolve))
  return expected / seconds
}

const discard: Bus = {
  publish: async () => undefined,
  subscribe: async () => {
    throw new Error('not used')
  },
  close: async () => undefined
}

console.log(
  `producer benchmark: ${orders} orders × ${symbols.length} symbols; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`
)
await runOnce('WS → producer (bus discards)', discard, { trade: 't', ticker: 't', ohlc: 't', book: 't' })

const suffix = Date.now().toString(36)
const names = {
  trade: `bench-rawtrade-${suffix}`,
  ticker: `bench-rawticker-${suffix}`,
  ohlc: `bench-rawohlc-${suffix}`,
  book: `bench-rawbook-${suffix}`
}
const admin = new Admin({ clientId: 'crypto-viz-bench', bootstrapBrokers: servers })
await admin.createTopics({ topics: Object.values(names), partitions: 3, replicas: 1 })
const bus = new KafkaBus({ servers, clientId: 'crypto-viz-bench' }, silentLogger())
try {
  await runOnce('WS → producer → Kafka', bus, names)
} finally {
  await bus.close()
  await admin.deleteTopics({ topics: Object.values(names) }).catch(() => undefined)
  await admin.close()
}
