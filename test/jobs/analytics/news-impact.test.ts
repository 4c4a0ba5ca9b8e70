import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { configFromEnv } from '../../../src/config/config.ts'
import { analyticsSettings } from '../../../src/jobs/analytics/settings.ts'
import { AnalyticsState, type PartitionKind } from '../../../src/jobs/analytics/state/partition-state.ts'
import type { Database } from '../../../src/store/database.ts'
import { writeExchangeCandles } from '../../../src/store/writers/exchange-feeds.ts'
import type { ArticleV1 } from '../../../src/schemas/article.v1.ts'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import { migrate } from '../../../src/store/migrator.ts'
import { PgliteDatabase } from '../../../src/store/pglite/pglite-database.ts'
import {
  createTestDatabase,
  testWithoutTimescale,
  timescaleDefaults,
  timescaleUnavailable
} from '../../helpers/db.ts'
import { commitAsTheRole, onEachDatabase, record, storedImpact } from '../../helpers/impact-records.ts'
import { article, ohlc } from '../../helpers/messages.ts'
import { naiveImpact } from '../../helpers/naive-impact.ts'
import { jitter, syntheticTrades } from '../../helpers/synthetic-trades.ts'

// The pairs the deployment tracks: DOGE is not one of them, so an article about it gets no record.
const config = configFromEnv({ SYMBOLS: 'BTC/USD,ETH/USD,SOL/USD,ADA/USD' })
const settings = analyticsSettings(config.analytics, config.kraken.symbols)
const LATENESS_MS = settings.latenessMicros / 1000
const START = Date.UTC(2026, 4, 4, 0, 0) * 1000
const JOB = 'impact'
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'] as const
const PER_BATCH = 250
const kindOf = (topic: string): PartitionKind | undefined =>
  topic === 'trades' ? 'trade' : topic === 'articles' ? 'article' : undefined

/** Per symbol, ~52 h of trades delivered slightly out of order, a few beyond the lateness. */
function market(): Map<string, TradeV1[]> {
  return new Map(
    SYMBOLS.map((symbol, s) => {
      const trades = syntheticTrades({
        symbol,
        count: 12_000,
        startMicros: START,
        seed: 40 + s,
        maxGapMicros: 40_000_000
      })
      const order = jitter(trades, 6, 70 + s)
      // Far too late: trade 5000 arrives after trade 5600 (~3 h later); refused by the job and the reference.
      const late = order.findIndex(t => t.tradeId === trades[5000]?.tradeId)
      const [moved] = order.splice(late, 1)
      if (moved !== undefined) order.splice(5600, 0, moved)
      return [symbol, order]
    })
  )
}

/** The trades a candle builder counts: in delivery order, none older than the watermark − lateness. */
function accepted(delivered: readonly TradeV1[]): { trades: TradeV1[]; watermark: number } {
  let watermark = -Infinity
  const trades: TradeV1[] = []
  for (const t of delivered) {
    const ts = Date.parse(t.exchangeTs)
    if (ts < watermark - LATENESS_MS) continue
    watermark = Math.max(watermark, ts)
    trades.push(t)
  }
  return { trades, watermark }
}

const at = (trades: readonly TradeV1[], i: number, plusMs: number): string =>
  new Date(Date.parse((trades[i] as TradeV1).exchangeTs) + plusMs).toISOString()

async function impactScenario(db: Database): Promise<void> {
  const delivered = market()
  const btc = delivered.get('BTC/USD') as TradeV1[]
  const eth = delivered.get('ETH/USD') as TradeV1[]
  const twoCoins = article('Bitcoin and ether rally as ETF inflows surge', {
    publishedAt: at(btc, 6000, 17_500),
    coins: [
      { code: 'BTC', mentions: 2, inTitle: true },
      { code: 'ETH', mentions: 1, inTitle: true }
    ]
  })
  const beforeRestart = article('Bitcoin slides after exchange outage', { publishedAt: at(btc, 7000, 3_000) })
  const untracked = article('Dogecoin community votes on a logo', {
    publishedAt: at(btc, 6500, 0),
    coins: [{ code: 'DOGE', mentions: 3, inTitle: true }]
  })
  const tooEarly = article('Ether opens the week flat', {
    publishedAt: at(eth, 10, 1_000),
    coins: [{ code: 'ETH', mentions: 1, inTitle: true }]
  })
  const beforeHistory = article('Solana a week ago', {
    publishedAt: new Date(START / 1000 - 3 * 86_400_000).toISOString(),
    coins: [{ code: 'SOL', mentions: 1, inTitle: true }]
  })
  // Each article arrives with the batch holding BTC's trade at its index (after its publication).
  const arrivals = new Map<number, ArticleV1[]>([
    [0, [tooEarly, beforeHistory]],
    [6000 / PER_BATCH, [twoCoins, untracked]],
    [7000 / PER_BATCH, [beforeRestart]]
  ])
  const restartAfter = 7000 / PER_BATCH
  const batches: ConsumedRecord[][] = []
  let articleOffset = 0
  for (let b = 0; b * PER_BATCH < btc.length; b++) {
    const batch = SYMBOLS.flatMap((symbol, partition) =>
      (delivered.get(symbol) as TradeV1[])
        .slice(b * PER_BATCH, (b + 1) * PER_BATCH)
        .map((t, i) => record('trades', partition, b * PER_BATCH + i, symbol, t))
    )
    for (const a of arrivals.get(b) ?? []) batch.push(record('articles', 0, articleOffset++, a.id, a))
    batches.push(batch)
  }
  const partitions = [0, 1, 2]
    .map(partition => ({ topic: 'trades', partition }))
    .concat([{ topic: 'articles', partition: 0 }])
  const run = async (state: AnalyticsState, batch: ConsumedRecord[]): Promise<void> => {
    await state.ensureLoaded(db, partitions)
    await commitAsTheRole(db, state, settings, JOB, batch)
  }

  let state = new AnalyticsState(JOB, settings, kindOf)
  for (const [b, batch] of batches.entries()) {
    await run(state, batch)
    if (b !== restartAfter) continue
    // Between the publication and its 2 h horizon: the short horizons are final, the long ones not yet.
    const pending = (await storedImpact(db)).filter(r => r.articleId === beforeRestart.id)
    assert.deepEqual(
      pending.map(r => [r.horizon, r.final]),
      [
        ['24h', false],
        ['2h', false],
        ['30m', true],
        ['5m', true]
      ]
    )
    // A restart: the state is rebuilt from the database and the last batch delivered again.
    state = new AnalyticsState(JOB, settings, kindOf)
    await run(state, batch)
  }

  const stored = await storedImpact(db)
  assert.equal(stored.filter(r => r.articleId === untracked.id).length, 0, 'no tracked coin: no record')
  const expected = [
    { article: twoCoins, symbol: 'BTC/USD' },
    { article: twoCoins, symbol: 'ETH/USD' },
    { article: beforeRestart, symbol: 'BTC/USD' },
    { article: tooEarly, symbol: 'ETH/USD' },
    { article: beforeHistory, symbol: 'SOL/USD' }
  ]
  assert.equal(stored.length, expected.length * 4)
  for (const { article: a, symbol } of expected) {
    const { trades, watermark } = accepted(delivered.get(symbol) as TradeV1[])
    for (const reference of naiveImpact(trades, symbol, a.publishedAt)) {
      const row = stored.find(
        r => r.articleId === a.id && r.symbol === symbol && r.horizon === reference.horizon
      )
      const what = `${a.title} × ${symbol} at ${reference.horizon}`
      assert.ok(row, what)
      assert.equal(row.p0, reference.p0, `${what}: p0`)
      assert.equal(row.pH, reference.pH, `${what}: p_h`)
      assert.equal(row.returnH, reference.returnH, `${what}: return`)
      assert.equal(row.volumeRatio, reference.volumeRatio, `${what}: volume ratio`)
      if (reference.abnormal === null) assert.equal(row.abnormal, null, `${what}: abnormal`)
      else
        assert.ok(
          Math.abs(Number(row.abnormal) - reference.abnormal) <= 5e-7 + 1e-9,
          `${what}: abnormal ${row.abnormal} vs ${reference.abnormal}`
        )
      const windowEnd =
        Math.floor(
          (Date.parse(a.publishedAt) +
            { '5m': 5, '30m': 30, '2h': 120, '24h': 1440 }[reference.horizon] * 60_000) /
            60_000
        ) * 60_000
      // Without any price before the publication a horizon settles a day later (history may be loading).
      const settles = windowEnd + (reference.p0 === null ? 86_400_000 : 0)
      assert.equal(row.final, settles <= watermark - LATENESS_MS, `${what}: final`)
    }
  }
  const twoCoinRows = stored.filter(r => r.articleId === twoCoins.id)
  assert.ok(
    twoCoinRows.every(r => r.final && r.abnormal !== null),
    'the two-coin article is final with abnormal moves'
  )
  assert.notEqual(
    twoCoinRows.find(r => r.symbol === 'BTC/USD' && r.horizon === '2h')?.returnH,
    twoCoinRows.find(r => r.symbol === 'ETH/USD' && r.horizon === '2h')?.returnH,
    'each coin moves on its own candles'
  )
  const early = stored.filter(r => r.articleId === tooEarly.id)
  assert.ok(
    early.every(r => r.p0 !== null && r.abnormal === null),
    'fewer than 30 returns before: no abnormal'
  )
  const none = stored.filter(r => r.articleId === beforeHistory.id)
  assert.ok(
    none.every(r => r.p0 === null && r.returnH === null && r.abnormal === null && r.volumeRatio === null),
    'no candles around the publication: nulls, not zeros'
  )
}

/**
 * Before the pipeline saw a symbol's trades, /api/candles shows the exchange's history: the impact
 * reads the same minutes (and the pipeline's candle wins where both exist). With `articleFirst` the
 * article arrives before any candle of its (configured) symbol is stored: it gets null rows at once,
 * and the first closing minute after the history and trades arrive fills them in.
 */
async function exchangeHistoryScenario(db: Database, articleFirst = false): Promise<void> {
  const symbol = 'ADA/USD'
  const t0 = Date.UTC(2026, 4, 4, 6, 0)
  const minuteIso = (m: number): string => new Date(t0 + m * 60_000).toISOString()
  const history = Array.from({ length: 100 }, (_, m) => ({
    m,
    close: `${100_000 + ((m * 7) % 23) - 11 + (m >= 90 ? 500 : 0)}.50000`,
    volume: `${1 + (m % 5)}.25000000`
  }))
  // The pipeline's trades from minute 90: their candles win over the exchange's there.
  const trades = syntheticTrades({
    symbol,
    count: 60,
    startMicros: (t0 + 90 * 60_000) * 1000,
    seed: 9,
    maxGapMicros: 15_000_000
  })
  const news = article('Cardano upgrade goes live', {
    publishedAt: new Date(t0 + 60 * 60_000 + 30_000).toISOString(),
    coins: [{ code: 'ADA', mentions: 2, inTitle: true }]
  })
  const state = new AnalyticsState(JOB, settings, kindOf)
  const partitions = [
    { topic: 'trades', partition: 0 },
    { topic: 'articles', partition: 0 }
  ]
  await state.ensureLoaded(db, partitions)
  const commit = (records: ConsumedRecord[]) => commitAsTheRole(db, state, settings, JOB, records)
  if (articleFirst) {
    await commit([record('articles', 0, 0, news.id, news)])
    const early = (await storedImpact(db)).filter(r => r.articleId === news.id)
    assert.deepEqual(
      early.map(r => [r.horizon, r.p0, r.pH, r.returnH, r.abnormal, r.volumeRatio, r.final]),
      ['24h', '2h', '30m', '5m'].map(h => [h, null, null, null, null, null, false]),
      'no candle of the symbol yet: a row per horizon, every figure null, none final'
    )
  }
  await writeExchangeCandles(
    db,
    history.map(h =>
      ohlc({
        symbol,
        interval: 1,
        intervalBegin: minuteIso(h.m).replace('.000Z', '.000000000Z'),
        close: h.close,
        vwap: h.close,
        volume: h.volume,
        final: true
      })
    )
  )
  await commit([
    ...trades.map((t, i) => record('trades', 0, i, symbol, t)),
    ...(articleFirst ? [] : [record('articles', 0, 0, news.id, news)])
  ])

  const tradeMinutes = new Set(trades.map(t => Math.floor((Date.parse(t.exchangeTs) - t0) / 60_000)))
  // The exchange's minutes as one trade each (close and volume), where the pipeline has no candle.
  const asTrades: TradeV1[] = history
    .filter(h => !tradeMinutes.has(h.m))
    .map(h => ({
      ...(trades[0] as TradeV1),
      tradeId: 1_000_000 + h.m,
      price: h.close,
      qty: h.volume,
      exchangeTs: new Date(t0 + h.m * 60_000 + 1_000).toISOString()
    }))
  const watermark = Math.max(...trades.map(t => Date.parse(t.exchangeTs)))
  const stored = (await storedImpact(db)).filter(r => r.articleId === news.id)
  const expected = naiveImpact([...asTrades, ...trades], symbol, news.publishedAt)
  assert.equal(stored.length, 4)
  for (const reference of expected) {
    const row = stored.find(r => r.horizon === reference.horizon)
    assert.ok(row, reference.horizon)
    assert.deepEqual(
      [row.p0, row.pH, row.returnH, row.volumeRatio],
      [reference.p0, reference.pH, reference.returnH, reference.volumeRatio],
      reference.horizon
    )
    assert.ok(
      reference.abnormal !== null && Math.abs(Number(row.abnormal) - reference.abnormal) <= 5e-7 + 1e-9
    )
  }
  assert.deepEqual(
    stored.map(r => [r.horizon, r.final]),
    [
      ['24h', false],
      ['2h', false],
      ['30m', t0 + 90 * 60_000 <= watermark - LATENESS_MS],
      ['5m', true]
    ]
  )
  const exchangeOnly = naiveImpact(
    history.map(h => ({
      ...(trades[0] as TradeV1),
      tradeId: 1_000_000 + h.m,
      price: h.close,
      qty: h.volume,
      exchangeTs: new Date(t0 + h.m * 60_000 + 1_000).toISOString()
    })),
    symbol,
    news.publishedAt
  )
  assert.notEqual(
    stored.find(r => r.horizon === '2h')?.volumeRatio,
    exchangeOnly.find(r => r.horizon === '2h')?.volumeRatio,
    "where the pipeline has candles (minutes 90 on) they count, not the exchange's"
  )

  // Delivered again naming only a coin without a market: its rows go, none is left behind.
  const renamed = { ...news, coins: [{ code: 'DOGE', mentions: 1, inTitle: true }] }
  await commit([record('articles', 0, 1, news.id, renamed)])
  assert.deepEqual(
    (await storedImpact(db)).filter(r => r.articleId === news.id),
    [],
    'an article that no longer names a tracked coin has no record'
  )
}

const NAME =
  'impact equals a recomputation from the accepted trades, through late trades, a restart between publication and horizon, and redelivery'

test(`${NAME} (PostgreSQL)`, async () => {
  const database = await createTestDatabase()
  try {
    await impactScenario(database.db)
  } finally {
    await database.drop()
  }
})

test(`${NAME} (PGlite)`, async () => {
  const db = await PgliteDatabase.open()
  try {
    await migrate(db)
    await impactScenario(db)
  } finally {
    await db.close()
  }
})

for (const kind of ['PostgreSQL', 'PGlite'] as const) {
  test(`an article from before the pipeline's trades is measured on the exchange's history, as /api/candles shows it (${kind})`, async () => {
    await onEachDatabase(kind, db => exchangeHistoryScenario(db))
  })
  test(`an article about a configured pair that arrives before any of its candles gets null rows, filled in and settled like the others once candles exist (${kind})`, async () => {
    await onEachDatabase(kind, db => exchangeHistoryScenario(db, true))
  })
}

const noTimescale = await timescaleUnavailable()
if (noTimescale === undefined) {
  test(`${NAME} (TimescaleDB)`, async () => {
    const database = await createTestDatabase({ timescale: timescaleDefaults })
    try {
      await impactScenario(database.db)
    } finally {
      await database.drop()
    }
  })
} else testWithoutTimescale(`${NAME} (TimescaleDB)`, noTimescale)
