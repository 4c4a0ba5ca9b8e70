import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { alertCodec, articleCodec, codecByTopic, tickerCodec, tradeCodec } from '../../src/schemas/index.ts'

const trade = {
  v: 1,
  type: 'trade',
  exchange: 'kraken',
  symbol: 'BTC/USD',
  tradeId: 61044952,
  price: '30243.40000',
  qty: '0.34507674',
  side: 'buy',
  ordType: 'market',
  exchangeTs: '2023-07-06T18:53:17.827736Z',
  receivedAt: '2023-07-06T18:53:17.901223Z',
  source: 'ws'
} as const

test('a valid trade survives encode and decode unchanged, decimals as exact text', () => {
  const text = tradeCodec.encode(trade)
  assert.deepEqual(tradeCodec.decode(Buffer.from(text)), trade)
  assert.match(text, /"price":"30243.40000"/)
})

test('a trade with a float price, a bad symbol or a missing field is rejected as a dead letter, naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...trade, price: 30243.4 }, /\/price/],
    [{ ...trade, symbol: 'XBTUSD' }, /\/symbol/],
    [{ ...trade, side: 'b' }, /\/side/],
    [{ ...trade, v: 2 }, /\/v/],
    [(({ qty: _qty, ...rest }) => rest)(trade), /\/qty/]
  ]
  for (const [value, field] of cases) {
    assert.throws(
      () => tradeCodec.decode(JSON.stringify(value)),
      (error: unknown) =>
        isCryptoVizError(error, 'CV_ERR_SCHEMA_INVALID') && error.deadLetter && field.test(error.message)
    )
  }
})

test('malformed JSON is a schema error, not a crash', () => {
  assert.throws(
    () => tickerCodec.decode('{"v":1,'),
    (error: unknown) => isCryptoVizError(error, 'CV_ERR_SCHEMA_INVALID')
  )
})

test('a ticker without an exchange timestamp is valid with null; articles and alerts validate their shapes', () => {
  const ticker = {
    v: 1,
    type: 'ticker',
    exchange: 'kraken',
    symbol: 'ETH/USD',
    bid: '1.0',
    bidQty: '2',
    ask: '1.1',
    askQty: '3',
    last: '1.05',
    volume: '100',
    vwap: '1.02',
    low: '0.9',
    high: '1.2',
    change: '-0.01',
    changePct: '-0.94',
    exchangeTs: null,
    receivedAt: '2026-11-25T14:00:00.000001Z'
  }
  assert.ok(tickerCodec.is(ticker))
  assert.ok(!articleCodec.is({ v: 1, type: 'article', id: 'x' }))
  assert.ok(!alertCodec.is({ v: 1, type: 'alert' }))
})

test('every data topic has a codec', () => {
  assert.deepEqual(Object.keys(codecByTopic).sort(), [
    'rawalert',
    'rawarticle',
    'rawbook',
    'rawohlc',
    'rawticker',
    'rawtrade'
  ])
})
