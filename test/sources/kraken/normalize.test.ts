import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import { ohlcCodec, tickerCodec, tradeCodec } from '../../../src/schemas/index.ts'
import { readFrame } from '../../../src/sources/kraken/frames.ts'
import {
  ohlcFromRest,
  ohlcFromWs,
  tickerFromWs,
  tradeFromRest,
  tradeFromWs
} from '../../../src/sources/kraken/normalize.ts'
import { type Json, asArray, asObject, parseLossless } from '../../../src/sources/kraken/wire.ts'

const receivedAt = '2026-11-25T14:05:00.123456Z'
const sample = (name: string): string => readFileSync(`fixtures/kraken/samples/${name}`, 'utf8')
const data = (name: string): Json[] => {
  const frame = readFrame(sample(name))
  assert.equal(frame.kind, 'data')
  return frame.kind === 'data' ? frame.data : []
}

test('a WebSocket trade becomes a valid trade v1 with exact decimals and the exchange time verbatim', () => {
  const [first] = data('ws_trade_update.json')
  const trade = tradeFromWs(first ?? null, receivedAt)
  assert.deepEqual(trade, {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol: 'BTC/USD',
    tradeId: 10218208,
    price: '105944.20',
    qty: '0.00027625',
    side: 'buy',
    ordType: 'limit',
    exchangeTs: '2023-10-06T17:35:55.440295Z',
    receivedAt,
    source: 'ws'
  })
  assert.doesNotThrow(() => tradeCodec.encode(trade))
})

test('a ticker snapshot becomes a valid ticker v1; a ticker without timestamp gets null', () => {
  const [element] = data('ws_ticker_snapshot.json')
  const ticker = tickerFromWs(element ?? null, receivedAt)
  assert.equal(ticker.bid, '105944.20')
  assert.equal(ticker.low, '104711.00')
  assert.equal(ticker.changePct, '0.24')
  assert.equal(ticker.exchangeTs, '2022-12-25T09:30:59.123456Z')
  assert.doesNotThrow(() => tickerCodec.encode(ticker))
  const { timestamp: _t, ...old } = asObject(element, 'ticker')
  assert.equal(tickerFromWs(old, receivedAt).exchangeTs, null)
})

test('a WebSocket candle keeps its nanosecond interval start', () => {
  const [element] = data('ws_ohlc_update.json')
  const candle = ohlcFromWs(element ?? null, receivedAt, false)
  assert.equal(candle.intervalBegin, '2023-10-04T16:25:00.000000000Z')
  assert.equal(candle.trades, 12)
  assert.doesNotThrow(() => ohlcCodec.encode(candle))
})

test("all 1,000 real REST trades normalize to valid trades with contiguous ids and Kraken's full time precision", () => {
  const result = asObject(asObject(parseLossless(sample('http_trades.json')), 'body').result, 'result')
  const rows = asArray(result.XBTUSDT, 'rows')
  const trades = rows.map(row => tradeFromRest(row, 'BTC/USDT', receivedAt))
  assert.equal(trades.length, 1000)
  trades.forEach((trade, i) => {
    assert.equal(trade.tradeId, 10218208 + i)
    assert.doesNotThrow(() => tradeCodec.encode(trade))
  })
  assert.equal(trades[0]?.exchangeTs, '2025-11-10T17:23:53.9717445Z')
  assert.equal(trades[0]?.price, '105433.60000')
  assert.equal(trades[0]?.side, 'buy')
  assert.equal(trades[1]?.ordType, 'market')
})

test('REST candles normalize; the caller decides which are final', () => {
  const result = asObject(asObject(parseLossless(sample('http_ohlc.json')), 'body').result, 'result')
  const rows = asArray(result.XBTUSDT, 'rows')
  const candles = rows.map(row => ohlcFromRest(row, 'BTC/USDT', 1, { receivedAt, final: true }))
  assert.equal(candles.length, 721)
  assert.equal(candles[0]?.intervalBegin, '2025-11-10T12:17:00.000000000Z')
  for (const candle of candles) assert.doesNotThrow(() => ohlcCodec.encode(candle))
})

test('elements with missing or mistyped fields are MALFORMED_INPUT errors naming the field', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () =>
        tradeFromWs(
          {
            symbol: 'BTC/USD',
            side: 'buy',
            price: 'abc',
            qty: '1',
            ord_type: 'limit',
            trade_id: '1',
            timestamp: receivedAt
          },
          receivedAt
        ),
      /trade.price/
    ],
    [
      () =>
        tradeFromWs(
          {
            symbol: 'BTC/USD',
            side: 'up',
            price: '1',
            qty: '1',
            ord_type: 'limit',
            trade_id: '1',
            timestamp: receivedAt
          },
          receivedAt
        ),
      /side/
    ],
    [
      () =>
        tradeFromWs(
          {
            symbol: 'BTC/USD',
            side: 'buy',
            price: '1',
            qty: '1',
            ord_type: 'limit',
            trade_id: '-1',
            timestamp: receivedAt
          },
          receivedAt
        ),
      /trade_id/
    ],
    [() => tickerFromWs({ symbol: 'BTC/USD' }, receivedAt), /ticker.bid/],
    [() => tradeFromRest(['1', '2'], 'BTC/USD', receivedAt), /2 fields/]
  ]
  for (const [run, field] of cases) {
    assert.throws(run, (e: unknown) => isCryptoVizError(e, 'CV_ERR_MALFORMED_INPUT') && field.test(e.message))
  }
})
