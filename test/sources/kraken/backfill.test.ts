import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { ohlcCodec, tradeCodec } from '../../../src/schemas/index.ts'
import { type FakeKraken, startFakeKraken } from '../../../src/sim/kraken/fake-kraken-server.ts'
import { SyntheticMarket } from '../../../src/sim/kraken/synthetic-market.ts'
import { type BackfillOptions, backfill } from '../../../src/sources/kraken/backfill.ts'
import { KrakenRest } from '../../../src/sources/kraken/rest-client.ts'
import { rfc3339ToNanos } from '../../../src/sources/kraken/wire.ts'
import { consumeCount } from '../../helpers/consume.ts'
import { createTopics, testKafka } from '../../helpers/kafka.ts'
import { tempDataDir } from '../../helpers/news-harness.ts'

let server: FakeKraken
let market: SyntheticMarket
const bus = new KafkaBus(testKafka, silentLogger())
const now = Date.now()
const minute = 60_000

before(async () => {
  market = new SyntheticMarket({ symbols: ['BTC/USD'], seed: 99, historyMinutes: 180 })
  server = await startFakeKraken({ market })
})
after(async () => {
  await bus.close()
  await server.close()
})

function options(
  topics: { trade: string; ohlc: string },
  overrides: Partial<BackfillOptions> = {}
): BackfillOptions {
  return {
    rest: new KrakenRest({
      baseUrl: server.restUrl,
      minIntervalMs: 0,
      log: silentLogger(),
      retryInitialMs: 10
    }),
    bus,
    symbol: 'BTC/USD',
    fromMs: now - 150 * minute,
    toMs: now - 30 * minute,
    parts: ['trades', 'ohlc'],
    interval: 1,
    checkpointPath: join(tempDataDir(), 'checkpoint.json'),
    topics,
    log: silentLogger(),
    ...overrides
  }
}

const inRange = (fromMs: number, toMs: number) =>
  market.history
    .all('BTC/USD')
    .filter(t => t.tsNs >= BigInt(fromMs) * 1_000_000n && t.tsNs < BigInt(toMs) * 1_000_000n)
    .map(t => t.id)

test('a backfill publishes every trade of the range exactly once, and the candles with their final flags', async () => {
  const [trade = '', ohlc = ''] = await createTopics(3, 'bf-trade', 'bf-ohlc')
  const o = options({ trade, ohlc })
  const progress: number[] = []
  const result = await backfill({ ...o, onProgress: p => progress.push(p.fraction) })
  const expected = inRange(o.fromMs, o.toMs)
  assert.ok(expected.length > 2000, `several REST pages (${expected.length} trades)`)
  assert.equal(result.trades, expected.length)
  assert.equal(progress.at(-1), 1)
  const trades = await consumeCount([trade], expected.length)
  const decoded = trades.map(r => tradeCodec.decode(r.value))
  assert.deepEqual(
    decoded.map(t => t.tradeId),
    expected
  )
  assert.ok(decoded.every(t => t.source === 'rest' && t.symbol === 'BTC/USD'))
  assert.ok(decoded.every(t => rfc3339ToNanos(t.exchangeTs) >= BigInt(o.fromMs) * 1_000_000n))
  const candles = (await consumeCount([ohlc], result.candles)).map(r => ohlcCodec.decode(r.value))
  assert.ok(candles.length >= 110 && candles.length <= 121, `${candles.length} one-minute candles`)
  assert.ok(candles.every(c => c.final && c.source === 'rest'))
})

test('an interrupted backfill resumes from its checkpoint and republishes nothing', async () => {
  const [trade = '', ohlc = ''] = await createTopics(1, 'bf-resume', 'bf-resume-ohlc')
  const controller = new AbortController()
  const o = options({ trade, ohlc }, { parts: ['trades'] })
  let pages = 0
  await assert.rejects(
    backfill({
      ...o,
      signal: controller.signal,
      onProgress: () => {
        if (++pages === 1) controller.abort(new Error('interrupted'))
      }
    })
  )
  server.faults.restRateLimit(2)
  const resumed = await backfill(o)
  assert.equal(resumed.resumed, true)
  const expected = inRange(o.fromMs, o.toMs)
  const records = await consumeCount([trade], expected.length)
  assert.deepEqual(
    records.map(r => tradeCodec.decode(r.value).tradeId),
    expected,
    'each trade once, in order, despite the interruption and the rate limits'
  )
  const again = await backfill(o)
  assert.equal(again.trades, 0, 'a finished backfill run again does nothing')
})

test('candles older than the 720 Kraken keeps are refused with a clear error', async () => {
  await assert.rejects(
    backfill(
      options(
        { trade: 'x', ohlc: 'x' },
        { parts: ['ohlc'], fromMs: now - 30 * 24 * 60 * minute, toMs: now - 29 * 24 * 60 * minute }
      )
    ),
    (error: unknown) =>
      isCryptoVizError(error, 'CV_ERR_BACKFILL_RANGE') && /720 most recent/.test(error.message)
  )
})
