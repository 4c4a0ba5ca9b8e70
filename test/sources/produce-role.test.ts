import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { Health } from '../../src/ops/health.ts'
import { createMetricsRegistry } from '../../src/ops/metrics.ts'
import { articleCodec, bookCodec, tradeCodec } from '../../src/schemas/index.ts'
import { startReplaySources } from '../../src/sim/replay.ts'
import { startReplay } from '../../src/runtime/replay-sources.ts'
import { produceRole } from '../../src/sources/produce-role.ts'
import { consumeUntil } from '../helpers/consume.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { tempDataDir } from '../helpers/news-harness.ts'
import { waitFor } from '../helpers/wait.ts'

async function startRole(env: Record<string, string>) {
  const [trade = '', ticker = '', ohlc = '', book = '', article = ''] = await createTopics(
    3,
    'r-trade',
    'r-ticker',
    'r-ohlc',
    'r-book',
    'r-article'
  )
  const config = configFromEnv({ SOURCE_MODE: 'replay', DATA_DIR: tempDataDir(), ...env })
  const bus = new KafkaBus(testKafka, silentLogger())
  const health = new Health()
  const metrics = createMetricsRegistry()
  const controller = new AbortController()
  const running = await produceRole({
    topics: { market: { trade, ticker, ohlc, book }, article },
    replay: startReplay
  }).start({
    config,
    log: silentLogger(),
    bus,
    health,
    metrics,
    // The produce role never touches the database or live events; these fail loudly if it did.
    database: () => Promise.reject(new Error('the produce role must not use the database')),
    live: () => {
      throw new Error('the produce role must not publish live events')
    },
    signal: controller.signal
  })
  return {
    topics: { trade, ticker, ohlc, book, article },
    health,
    metrics,
    stop: async () => {
      controller.abort()
      await running.stop()
      await bus.close()
    }
  }
}

test('replay mode runs the same producers against in-process fake servers; every record says it is replayed', async () => {
  const role = await startRole({ REPLAY_SPEED: '20', SYMBOLS: 'BTC/USD,ETH/USD' })
  try {
    await waitFor('Kraken healthy', () => role.health.report().checks.kraken?.status === 'up', 60_000)
    const trades = await consumeUntil([role.topics.trade], records => records.length >= 50)
    assert.ok(trades.every(r => r.headers['x-source-mode'] === 'replay'))
    assert.ok(trades.every(r => ['BTC/USD', 'ETH/USD'].includes(tradeCodec.decode(r.value).symbol)))
    const articles = await consumeUntil([role.topics.article], records => records.length >= 20)
    const first = articleCodec.decode(articles[0]?.value ?? '')
    assert.ok(
      Math.abs(Date.parse(first.publishedAt) - Date.now()) < 3 * 86_400_000,
      'feed dates moved to now'
    )
    const report = role.health.report()
    assert.deepEqual(Object.keys(report.checks).sort(), [
      'kraken',
      'market-history',
      'news-feeds',
      'producer-buffer'
    ])
    const text = await role.metrics.metrics()
    assert.match(text, /cryptoviz_producer_published_records_total\{topic="t-r-trade-/)
    assert.match(text, /cryptoviz_producer_ws_connected 1/)
  } finally {
    await role.stop()
  }
  assert.equal(role.health.report().checks.kraken, undefined, 'checks are removed on stop')
})

test('a recorded session replays through the producer at speed: its pairs, real trade lexemes, books that verify', async () => {
  const role = await startRole({
    REPLAY_MARKET: 'recorded',
    REPLAY_SPEED: '500',
    KRAKEN_CHANNELS: 'trade,ticker,book',
    PRODUCER_SOURCES: 'kraken'
  })
  try {
    const trades = await consumeUntil([role.topics.trade], records => records.length >= 30)
    const decoded = trades.map(r => tradeCodec.decode(r.value))
    assert.ok(decoded.every(t => t.symbol === 'BTC/USDT'))
    assert.equal(decoded[0]?.price, '105433.60000', 'the real first trade of the recording, lexeme intact')
    const books = await consumeUntil([role.topics.book], records => records.length >= 3)
    assert.ok(books.every(r => bookCodec.decode(r.value).symbol === 'BTC/USD'))
    const failures =
      (await role.metrics.getSingleMetric('cryptoviz_producer_book_checksum_failures_total')?.get())
        ?.values ?? []
    assert.equal(failures.length, 0)
  } finally {
    await role.stop()
  }
})

test('the replay API starts both fake servers and returns their URLs', async () => {
  const replay = await startReplaySources({ symbols: ['SOL/USD'], historyMinutes: 5 })
  try {
    assert.match(replay.kraken.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/v2$/)
    const response = await fetch(`${replay.kraken.restUrl}/0/public/SystemStatus`)
    assert.equal(((await response.json()) as { result: { status: string } }).result.status, 'online')
    assert.ok(replay.feeds.length >= 8)
    assert.equal((await fetch(replay.feeds[0]?.url ?? '')).status, 200)
  } finally {
    await replay.close()
  }
})
