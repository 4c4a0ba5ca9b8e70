/**
 * The exchange's history for a gap arrives after a move across the gap settled (history loaded
 * after the pipeline ran): the rows that read the gap are reopened and, with the symbol's next
 * trades, settle again on the new minutes; a row that does not read them stays as it was.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { configFromEnv } from '../../../src/config/config.ts'
import { analyticsSettings } from '../../../src/jobs/analytics/settings.ts'
import { AnalyticsState, type PartitionKind } from '../../../src/jobs/analytics/state/partition-state.ts'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import type { Database } from '../../../src/store/database.ts'
import { writeExchangeCandles } from '../../../src/store/writers/exchange-feeds.ts'
import { commitAsTheRole, onEachDatabase, record, storedImpact } from '../../helpers/impact-records.ts'
import { article, ohlc } from '../../helpers/messages.ts'
import { naiveImpact } from '../../helpers/naive-impact.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'

const config = configFromEnv({ SYMBOLS: 'ADA/USD' })
const settings = analyticsSettings(config.analytics, config.kraken.symbols)
const JOB = 'impact'
const kindOf = (topic: string): PartitionKind | undefined =>
  topic === 'trades' ? 'trade' : topic === 'articles' ? 'article' : undefined

async function lateHistoryScenario(db: Database): Promise<void> {
  const symbol = 'ADA/USD'
  const t0 = Date.UTC(2026, 4, 5, 6, 0)
  const candle = (m: number) =>
    ohlc({
      symbol,
      interval: 1,
      intervalBegin: new Date(t0 + m * 60_000).toISOString().replace('.000Z', '.000000000Z'),
      close: `${100_000 + ((m * 7) % 23) - 11 + (m >= 70 ? 300 : 0)}.50000`,
      vwap: `${100_000 + ((m * 7) % 23) - 11 + (m >= 70 ? 300 : 0)}.50000`,
      volume: `${1 + (m % 5)}.25000000`,
      final: true
    })
  const asTrade = (c: ReturnType<typeof candle>, template: TradeV1): TradeV1 => ({
    ...template,
    tradeId: 2_000_000 + (Date.parse(c.intervalBegin) - t0) / 60_000,
    price: c.close,
    qty: c.volume,
    exchangeTs: new Date(Date.parse(c.intervalBegin) + 1_000).toISOString()
  })
  // The exchange's minutes 0–69 first; minutes 70–89 arrive late. The pipeline trades from minute 90.
  const early = Array.from({ length: 70 }, (_, m) => candle(m))
  const late = Array.from({ length: 20 }, (_, m) => candle(70 + m))
  const trades = syntheticTrades({
    symbol,
    count: 120,
    startMicros: (t0 + 90 * 60_000) * 1000,
    seed: 11,
    maxGapMicros: 15_000_000
  })
  const [first, then] = [trades.slice(0, 60), trades.slice(60)]
  const news = article('Cardano fees fall after an upgrade', {
    publishedAt: new Date(t0 + 60 * 60_000 + 30_000).toISOString(),
    coins: [{ code: 'ADA', mentions: 2, inTitle: true }]
  })
  const state = new AnalyticsState(JOB, settings, kindOf)
  await state.ensureLoaded(db, [
    { topic: 'trades', partition: 0 },
    { topic: 'articles', partition: 0 }
  ])
  let offset = 0
  const commit = (records: ConsumedRecord[]) => commitAsTheRole(db, state, settings, JOB, records)
  const expectations = (history: readonly ReturnType<typeof candle>[], applied: readonly TradeV1[]) =>
    naiveImpact(
      [...history.map(c => asTrade(c, applied[0] as TradeV1)), ...applied],
      symbol,
      news.publishedAt
    )
  const figures = async () =>
    (await storedImpact(db))
      .filter(r => r.articleId === news.id)
      .map(r => ({
        horizon: r.horizon,
        pH: r.pH,
        returnH: r.returnH,
        volumeRatio: r.volumeRatio,
        final: r.final
      }))

  await writeExchangeCandles(db, early)
  await commit([
    ...first.map(t => record('trades', 0, offset++, symbol, t)),
    record('articles', 0, 0, news.id, news)
  ])
  const settled = await figures()
  const row = (horizon: string) => settled.find(r => r.horizon === horizon)
  assert.equal(row('5m')?.final, true, 'the 5 min move settled on the early minutes')
  assert.equal(row('30m')?.final, true, 'the 30 min move settled across the gap (minutes 70–89 missing)')
  const before = expectations(early, first)
  assert.equal(
    row('30m')?.pH,
    before.find(r => r.horizon === '30m')?.pH,
    'read the last minute before the gap'
  )

  // The gap's history arrives (through the same writer as ingest's): the moves that read it reopen.
  await writeExchangeCandles(db, late)
  const reopened = await figures()
  assert.deepEqual(
    reopened.map(r => [r.horizon, r.final]),
    [
      ['24h', false],
      ['2h', false],
      ['30m', false],
      ['5m', true]
    ],
    'the 30 min move reads minutes 70–89 and reopens; the 5 min move ends before them and stays settled'
  )
  assert.deepEqual(
    reopened.find(r => r.horizon === '5m'),
    row('5m'),
    'unchanged'
  )

  // The symbol's next trades recompute it on the new minutes, and settle it again.
  await commit(then.map(t => record('trades', 0, offset++, symbol, t)))
  const after = (await storedImpact(db)).filter(r => r.articleId === news.id)
  const reference = expectations([...early, ...late], trades)
  for (const horizon of ['5m', '30m'] as const) {
    const stored = after.find(r => r.horizon === horizon)
    const expected = reference.find(r => r.horizon === horizon)
    assert.ok(stored && expected, horizon)
    assert.deepEqual(
      [stored.p0, stored.pH, stored.returnH, stored.volumeRatio, stored.final],
      [expected.p0, expected.pH, expected.returnH, expected.volumeRatio, true],
      `${horizon} after the late history`
    )
  }
  assert.notEqual(
    after.find(r => r.horizon === '30m')?.pH,
    row('30m')?.pH,
    'the late minutes changed the 30 min move'
  )
}

for (const kind of ['PostgreSQL', 'PGlite'] as const) {
  test(`exchange history written after a move settled reopens the moves that read it, and the next trades settle them on it (${kind})`, async () => {
    await onEachDatabase(kind, lateHistoryScenario)
  })
}
