/**
 * The start-up history fill against the fake Kraken REST API, into a real Kafka topic: every series'
 * 720 most recent candles on a first start, only what came after the checkpoint on the next, a rate
 * limit waited out, and a series Kraken refuses reported without stopping the others.
 */
import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { ohlcCodec } from '../../../src/schemas/index.ts'
import { type FakeKraken, startFakeKraken } from '../../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../../src/sim/kraken/synthetic-market.ts'
import { historyCheckpointPath } from '../../../src/sources/kraken/history-checkpoint.ts'
import { HistoryFill } from '../../../src/sources/kraken/history-fill.ts'
import { KrakenRest } from '../../../src/sources/kraken/rest-client.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../../../src/sources/publish/buffered-publisher.ts'
import { closedPort } from '../../helpers/closed-port.ts'
import { consumeCount } from '../../helpers/consume.ts'
import { createTopics, testKafka } from '../../helpers/kafka.ts'
import { tempDataDir } from '../../helpers/news-harness.ts'

let server: FakeKraken
const bus = new KafkaBus(testKafka, silentLogger())
const publisher = new BufferedPublisher({
  bus,
  metrics: createProducerMetrics(createMetricsRegistry()),
  log: silentLogger(),
  maxRecords: 100_000
})

before(async () => {
  const market = new SyntheticMarket({
    symbols: ['BTC/USD', 'ETH/USD'],
    seed: 17,
    historyMinutes: 30,
    olderHistoryDays: 40
  })
  server = await startFakeKraken({ market })
})
after(async () => {
  await publisher.close(5_000)
  await bus.close()
  await server.close()
})

function fill(topic: string, dataDir: string, symbols = ['BTC/USD', 'ETH/USD'], intervals = [1, 60]) {
  return new HistoryFill({
    rest: new KrakenRest({
      baseUrl: server.restUrl,
      minIntervalMs: 0,
      retryInitialMs: 20,
      log: silentLogger()
    }),
    publisher,
    symbols,
    intervals,
    checkpointPath: historyCheckpointPath(dataDir),
    topic,
    log: silentLogger()
  })
}

test('a first start publishes the 720 most recent candles of every series, the forming one not final, and keeps a checkpoint', async () => {
  const [topic = ''] = await createTopics(3, 'history')
  const dataDir = tempDataDir()
  const history = fill(topic, dataDir)
  await history.run()
  const progress = history.progress()
  assert.equal(progress.state, 'done')
  assert.deepEqual(progress.series, { total: 4, done: 4, skipped: 0, failed: 0 })
  assert.equal(progress.candles, 4 * 720)
  const candles = (await consumeCount([topic], 4 * 720)).map(r => ohlcCodec.decode(r.value))
  for (const symbol of ['BTC/USD', 'ETH/USD'])
    for (const interval of [1, 60]) {
      const series = candles
        .filter(c => c.symbol === symbol && c.interval === interval)
        .sort((a, b) => a.intervalBegin.localeCompare(b.intervalBegin))
      assert.equal(series.length, 720, `${symbol} ${interval}`)
      assert.deepEqual(
        series.map(c => c.final),
        [...Array<boolean>(719).fill(true), false],
        'only the candle still forming is not final'
      )
      assert.ok(series.every(c => c.source === 'rest'))
    }
  const saved = JSON.parse(await readFile(historyCheckpointPath(dataDir), 'utf8')) as {
    series: Record<string, number>
  }
  assert.deepEqual(Object.keys(saved.series).sort(), ['BTC/USD 1', 'BTC/USD 60', 'ETH/USD 1', 'ETH/USD 60'])
  const lastMinute = candles.filter(c => c.symbol === 'BTC/USD' && c.interval === 1 && c.final).at(-1)
  assert.equal(
    new Date((saved.series['BTC/USD 1'] ?? 0) * 1000).toISOString(),
    lastMinute?.intervalBegin.replace('.000000000Z', '.000Z')
  )
  assert.equal(history.check().status, 'up')
})

test('a start after a gap asks only for what came after the checkpoint, and skips a series with nothing new yet', async () => {
  const [topic = ''] = await createTopics(3, 'history-gap')
  const dataDir = tempDataDir()
  const nowS = Math.floor(Date.now() / 1000)
  const threeHoursAgo = Math.floor(nowS / 60) * 60 - 3 * 3600
  const thisHour = Math.floor(nowS / 3600) * 3600
  await mkdir(join(dataDir, 'history'), { recursive: true })
  await writeFile(
    historyCheckpointPath(dataDir),
    JSON.stringify({ series: { 'BTC/USD 1': threeHoursAgo, 'BTC/USD 60': thisHour - 3600 } })
  )
  const requestsBefore = server.stats().rest.OHLC ?? 0
  const history = fill(topic, dataDir, ['BTC/USD'])
  await history.run()
  const progress = history.progress()
  assert.deepEqual(progress.series, { total: 2, done: 2, skipped: 1, failed: 0 })
  assert.equal(
    server.stats().rest.OHLC ?? 0,
    requestsBefore + 1,
    'one request: the 1h series had nothing new'
  )
  const candles = (await consumeCount([topic], progress.candles)).map(r => ohlcCodec.decode(r.value))
  assert.ok(
    candles.length >= 178 && candles.length <= 182,
    `about three hours of minutes, got ${candles.length}`
  )
  assert.ok(
    candles.every(c => Date.parse(c.intervalBegin) / 1000 > threeHoursAgo),
    'nothing the previous start already had'
  )
  const saved = JSON.parse(await readFile(historyCheckpointPath(dataDir), 'utf8')) as {
    series: Record<string, number>
  }
  assert.ok((saved.series['BTC/USD 1'] ?? 0) > threeHoursAgo, 'the checkpoint moved on')
})

test("Kraken's rate limit is waited out, and a series Kraken refuses is reported while the others load", async () => {
  const [topic = ''] = await createTopics(3, 'history-faults')
  server.faults.restRateLimit(2)
  const history = fill(topic, tempDataDir(), ['BTC/USD', 'NOPE/USD'], [60])
  await history.run()
  const progress = history.progress()
  assert.equal(progress.state, 'done')
  assert.deepEqual(progress.series, { total: 2, done: 1, skipped: 0, failed: 1 })
  assert.equal(progress.candles, 720, 'BTC/USD loaded once the rate limit passed')
  const check = history.check()
  assert.equal(check.status, 'degraded')
  assert.match(
    check.detail ?? '',
    /not loaded \(retried at the next start\): NOPE\/USD 1h: .*Unknown asset pair/
  )
})

test('with Kraken out of reach, the fill stops after the first series instead of retrying every other one', async () => {
  const port = await closedPort()
  const history = new HistoryFill({
    rest: new KrakenRest({
      baseUrl: `http://127.0.0.1:${port}`,
      minIntervalMs: 0,
      maxAttempts: 2,
      retryInitialMs: 10,
      log: silentLogger()
    }),
    publisher,
    symbols: ['BTC/USD', 'ETH/USD'],
    intervals: [1, 60],
    checkpointPath: historyCheckpointPath(tempDataDir()),
    log: silentLogger()
  })
  await history.run()
  const progress = history.progress()
  assert.equal(progress.state, 'done')
  assert.deepEqual(progress.series, { total: 4, done: 0, skipped: 0, failed: 4 })
  assert.match(progress.lastError ?? '', /^BTC\/USD 1m: .*ECONNREFUSED/)
  assert.equal(history.check().status, 'degraded')
})
