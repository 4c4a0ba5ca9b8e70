/**
 * The market half of the storage layer (src/store/writers and src/store/queries: trades, tickers,
 * candles, indicators, spreads, Kraken's own candles and book tops, symbols, freshness), as one
 * contract every database implementation must meet: run against PostgreSQL and against PGlite.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import type { Database } from '../../../src/store/database.ts'
import { listCandles, listIndicators } from '../../../src/store/queries/candles.ts'
import { dataFreshness } from '../../../src/store/queries/freshness.ts'
import { listSymbols } from '../../../src/store/queries/symbols.ts'
import { listTrades } from '../../../src/store/queries/trades.ts'
import { type CandleRow, recentCandles, writeCandles } from '../../../src/store/writers/candles.ts'
import { writeBookTops, writeExchangeCandles } from '../../../src/store/writers/exchange-feeds.ts'
import { writeIndicators } from '../../../src/store/writers/indicators.ts'
import { recentSpreads, writeSpreads } from '../../../src/store/writers/spreads.ts'
import { writeTickers } from '../../../src/store/writers/tickers.ts'
import { writeTrades } from '../../../src/store/writers/trades.ts'
import { book, ohlc, ticker } from '../../helpers/messages.ts'

function trade(symbol: string, tradeId: number, second: number, price = '100.10'): TradeV1 {
  const ts = `2026-01-01T00:00:${String(second).padStart(2, '0')}.000001Z`
  return {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId,
    price,
    qty: '0.50000000',
    side: tradeId % 2 === 0 ? 'buy' : 'sell',
    ordType: 'limit',
    exchangeTs: ts,
    receivedAt: ts.replace('.000001Z', '.100000Z'),
    source: 'ws'
  }
}

function candle(symbol: string, minute: number, close: string): CandleRow {
  return {
    symbol,
    interval: '1m',
    bucket: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`,
    open: '100',
    high: '101.5',
    low: '99.25',
    close,
    volume: '2.00000000',
    quoteVolume: '200.5',
    vwap: '100.25',
    trades: 4,
    buyVolume: '1.25',
    sellVolume: '0.75',
    buyTrades: 2,
    buyQuoteVolume: '125.5',
    firstTradeId: minute * 10,
    lastTradeId: minute * 10 + 3
  }
}

export function marketStorageContract(name: string, db: () => Database): void {
  test(`${name}: trades are stored once, read newest first with exact decimals and µs times, paged by cursor`, async () => {
    const trades = [1, 2, 3, 4, 5].map(id => trade('T1/USD', id, id))
    assert.equal(await writeTrades(db(), trades), 5)
    assert.equal(await writeTrades(db(), trades), 0, 'a replayed batch adds nothing')
    const first = await listTrades(db(), { symbol: 'T1/USD', limit: 2 })
    assert.deepEqual(
      first.items.map(t => [t.tradeId, t.ts, t.price, t.qty, t.side]),
      [
        [5, '2026-01-01T00:00:05.000001Z', '100.10', '0.50000000', 'sell'],
        [4, '2026-01-01T00:00:04.000001Z', '100.10', '0.50000000', 'buy']
      ]
    )
    assert.equal(first.hasMore, true)
    const last = first.items.at(-1)
    const next = await listTrades(db(), {
      symbol: 'T1/USD',
      limit: 10,
      before: { time: last?.ts ?? '', id: String(last?.tradeId) },
      from: '2026-01-01T00:00:02Z'
    })
    assert.deepEqual(
      next.items.map(t => t.tradeId),
      [3, 2]
    )
    assert.equal(next.hasMore, false)
  })

  test(`${name}: symbols come with their latest ticker, and freshness names the newest data`, async () => {
    await writeTrades(db(), [trade('T2/USD', 1, 1)])
    const older = ticker({ symbol: 'T2/USD', exchangeTs: '2026-01-01T00:00:01.000001Z', last: '10.5' })
    const newer = ticker({ symbol: 'T2/USD', exchangeTs: '2026-01-01T00:00:02.000002Z', last: '10.75' })
    assert.equal(await writeTickers(db(), [older, newer]), 2)
    assert.equal(await writeTickers(db(), [newer]), 0)
    const row = (await listSymbols(db())).find(s => s.symbol === 'T2/USD')
    assert.equal(row?.ticker?.last, '10.75')
    assert.equal(row?.ticker?.ts, '2026-01-01T00:00:02.000002Z')
    assert.equal(row?.ticker?.changePct24h, '-0.51')
    const fresh = await dataFreshness(db())
    assert.ok(fresh.trades !== null && fresh.trades >= '2026-01-01T00:00:01.000001Z')
    assert.ok(fresh.tickers !== null && fresh.tickers >= '2026-01-01T00:00:02.000002Z')
  })

  test(`${name}: a candle written twice is written once; series read forwards with a cursor, or as the newest window`, async () => {
    const rows = [0, 1, 2, 3].map(m => candle('T3/USD', m, `10${m}.5`))
    await writeCandles(db(), rows)
    await writeCandles(db(), [candle('T3/USD', 3, '109.0')])
    const page = await listCandles(db(), {
      symbol: 'T3/USD',
      interval: '1m',
      from: '2026-01-01T00:00:00Z',
      limit: 2
    })
    assert.deepEqual(
      page.items.map(c => [c.bucket, c.close, c.trades, c.quoteVolume]),
      [
        ['2026-01-01T00:00:00Z', '100.5', 4, '200.5'],
        ['2026-01-01T00:01:00Z', '101.5', 4, '200.5']
      ]
    )
    assert.equal(page.hasMore, true)
    const after = await listCandles(db(), {
      symbol: 'T3/USD',
      interval: '1m',
      after: page.items[1]?.bucket,
      limit: 5
    })
    assert.deepEqual(
      after.items.map(c => c.close),
      ['102.5', '109.0']
    )
    const newest = await listCandles(db(), { symbol: 'T3/USD', interval: '1m', limit: 2 })
    assert.deepEqual(
      newest.items.map(c => c.bucket),
      ['2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z'],
      'the newest two, oldest first'
    )
    const warm = await recentCandles(db(), ['T3/USD'], ['1m', '5m'], 2)
    assert.deepEqual(
      warm.map(c => [c.bucket, c.firstTradeId, c.lastTradeId]),
      [
        ['2026-01-01T00:02:00Z', 20, 23],
        ['2026-01-01T00:03:00Z', 30, 33]
      ]
    )
  })

  test(`${name}: indicators are overwritten when recomputed and read by name over a bucket range`, async () => {
    const at = (m: number) => `2026-01-01T00:0${m}:00Z`
    await writeIndicators(db(), [
      { symbol: 'T4/USD', interval: '1m', bucket: at(0), name: 'sma_20', value: 1.5 },
      { symbol: 'T4/USD', interval: '1m', bucket: at(1), name: 'sma_20', value: 2.5 },
      { symbol: 'T4/USD', interval: '1m', bucket: at(1), name: 'rsi_14', value: 55.25 }
    ])
    await writeIndicators(db(), [
      { symbol: 'T4/USD', interval: '1m', bucket: at(1), name: 'sma_20', value: 3 }
    ])
    const series = await listIndicators(db(), {
      symbol: 'T4/USD',
      interval: '1m',
      names: ['sma_20', 'rsi_14', 'ema_12'],
      first: at(0),
      last: at(1)
    })
    assert.deepEqual(series, {
      sma_20: [
        { bucket: at(0), value: 1.5 },
        { bucket: at(1), value: 3 }
      ],
      rsi_14: [{ bucket: at(1), value: 55.25 }],
      ema_12: []
    })
  })

  test(`${name}: spreads keep each bucket's latest state and come back oldest first`, async () => {
    const spread = (minute: number, samples: number) => ({
      symbol: 'T5/USD',
      interval: '1m',
      bucket: `2026-01-01T00:0${minute}:00Z`,
      midClose: '100.05',
      spreadClose: '0.1',
      spreadAvgBps: 9.5,
      spreadMaxBps: 12,
      samples,
      closeTs: `2026-01-01T00:0${minute}:59.5Z`,
      spreadSumBps: 9.5 * samples
    })
    await writeSpreads(db(), [spread(0, 3), spread(1, 2)])
    await writeSpreads(db(), [spread(1, 5)])
    const rows = await recentSpreads(db(), ['T5/USD'], ['1m'], 5)
    assert.deepEqual(
      rows.map(r => [r.bucket, r.samples, r.spreadSumBps, r.closeTs, r.midClose]),
      [
        ['2026-01-01T00:00:00Z', 3, 28.5, '2026-01-01T00:00:59.5Z', '100.05'],
        ['2026-01-01T00:01:00Z', 5, 47.5, '2026-01-01T00:01:59.5Z', '100.05']
      ]
    )
  })

  test(`${name}: Kraken's running candle is overwritten until final, then only by another final; book tops once`, async () => {
    const begin = '2026-01-01T00:00:00.000000Z'
    const base = { symbol: 'T6/USD', intervalBegin: begin }
    await writeExchangeCandles(db(), [ohlc({ ...base, close: '1.0', final: false })])
    await writeExchangeCandles(db(), [ohlc({ ...base, close: '2.0', final: true })])
    assert.equal(await writeExchangeCandles(db(), [ohlc({ ...base, close: '3.0', final: false })]), 0)
    const { rows } = await db().query<{ close: string; final: boolean }>(
      "select close, final from exchange_candles where symbol = 'T6/USD'"
    )
    assert.deepEqual(rows, [{ close: '2.0', final: true }])
    const top = book({ symbol: 'T6/USD', exchangeTs: '2026-01-01T00:00:01.5Z' })
    assert.equal(await writeBookTops(db(), [top]), 1)
    assert.equal(await writeBookTops(db(), [top]), 0)
  })
}
