import assert from 'node:assert/strict'
import { test } from 'node:test'
import { channelProblem, routesFor } from '../../src/api/live/channels.ts'
import { parseClientMessage } from '../../src/api/live/messages.ts'

test('valid channel names are accepted in every documented form', () => {
  for (const name of [
    'tickers',
    'tickers:BTC/USD',
    'trades',
    'trades:XBT/EUR',
    'candles:BTC/USD:1m',
    'candles:ETH/USD:1d',
    'indicators:BTC/USD:15m',
    'articles',
    'sentiment',
    'sentiment:BTC',
    'sentiment:*',
    'alerts',
    'alerts:BTC/USD',
    'alerts:BTC',
    'alerts:*',
    'pipeline'
  ])
    assert.equal(channelProblem(name), undefined, name)
})

test('bad channel names are refused with a reason that says what is expected', () => {
  const cases: [unknown, RegExp][] = [
    ['candles:BTC/USD', /interval/],
    ['candles:BTC/USD:2m', /interval, one of 1m/],
    ['candles', /symbol/],
    ['trades:btc/usd', /symbol like BTC\/USD/],
    ['trades:BTC/USD:1m', /too many parts/],
    ['articles:BTC', /no qualifier/],
    ['pipeline:x', /no qualifier/],
    ['weather', /unknown channel/],
    [42, /string/],
    ['x'.repeat(65), /64 characters/]
  ]
  for (const [name, reason] of cases) assert.match(channelProblem(name) ?? '', reason, String(name))
})

test('an event is routed to its wide and its narrow channel', () => {
  const base = { storedAt: '2026-11-25T14:00:00Z', data: null }
  assert.deepEqual(routesFor({ ...base, channel: 'trades', key: 'BTC/USD' }), ['trades', 'trades:BTC/USD'])
  assert.deepEqual(routesFor({ ...base, channel: 'candles', key: 'BTC/USD', interval: '5m' }), [
    'candles:BTC/USD:5m'
  ])
  assert.deepEqual(routesFor({ ...base, channel: 'sentiment', key: '*' }), ['sentiment', 'sentiment:*'])
  assert.deepEqual(routesFor({ ...base, channel: 'articles', key: 'abc' }), ['articles'])
  assert.deepEqual(routesFor({ ...base, channel: 'pipeline', key: 'ingest@h:1' }), ['pipeline'])
})

test('client messages are read strictly', () => {
  assert.deepEqual(parseClientMessage('{"op":"subscribe","channels":["tickers"],"id":7}'), {
    op: 'subscribe',
    channels: ['tickers'],
    id: 7
  })
  assert.deepEqual(parseClientMessage('{"op":"ping"}'), { op: 'ping' })
  for (const text of [
    'nope',
    '[]',
    '{"op":"subscribe"}',
    '{"op":"subscribe","channels":[]}',
    '{"op":"subscribe","channels":[1]}',
    `{"op":"subscribe","channels":${JSON.stringify(Array(101).fill('tickers'))}}`,
    '{"op":"jump"}'
  ]) {
    const parsed = parseClientMessage(text)
    assert.ok('type' in parsed && parsed.type === 'error' && parsed.error === 'bad_message', text)
  }
})
