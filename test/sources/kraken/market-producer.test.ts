import assert from 'node:assert/strict'
import { test } from 'node:test'
import { partitionForKey } from '../../../src/bus/partitioner.ts'
import { tickerCodec, tradeCodec } from '../../../src/schemas/index.ts'
import type { SyntheticMarket } from '../../../src/sim/kraken/synthetic-market.ts'
import { consumeUntil } from '../../helpers/consume.ts'
import { startMarketHarness, total } from '../../helpers/market-harness.ts'
import { waitFor } from '../../helpers/wait.ts'

test('trades and tickers land in their topics keyed by symbol, schema-valid, in order per symbol, with receive times', async () => {
  const h = await startMarketHarness({ symbols: ['BTC/USD', 'ETH/USD', 'SOL/USD'] })
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 6)
    for (let round = 0; round < 10; round++) for (const symbol of market.symbols) market.emitTrades(symbol, 3)
    const expected = new Map(market.symbols.map(s => [s, market.history.all(s).map(t => t.id)]))
    const trades = await consumeUntil([h.topics.trade], records =>
      market.symbols.every(s =>
        records.some(r => r.key === s && tradeCodec.decode(r.value).tradeId === expected.get(s)?.at(-1))
      )
    )
    for (const symbol of market.symbols) {
      const mine = trades.filter(r => r.key === symbol)
      assert.ok(
        mine.every(r => r.partition === partitionForKey(symbol, 3)),
        'partition follows the key'
      )
      const decoded = mine.map(r => tradeCodec.decode(r.value))
      assert.deepEqual(
        decoded.map(t => t.tradeId),
        expected.get(symbol),
        `${symbol}: every trade once, in order`
      )
      const simulated = market.history.all(symbol)
      decoded.forEach((t, i) => {
        assert.equal(t.price, simulated[i]?.price, 'exact price lexeme')
        assert.equal(t.exchangeTs, simulated[i]?.ts, 'exchange time verbatim')
        assert.ok(Date.parse(t.receivedAt) >= Date.parse(t.exchangeTs.slice(0, 23) + 'Z') - 5)
        assert.match(t.receivedAt, /\.\d{6}Z$/)
      })
    }
    const tickers = await consumeUntil([h.topics.ticker], records => records.length >= 3 * 31)
    assert.ok(tickers.every(r => tickerCodec.decode(r.value).symbol === r.key))
    assert.equal(await total(h.metrics.malformed), 0)
  } finally {
    await h.stop()
  }
})

test('a dropped connection mid-stream ends with every trade exactly once in Kafka: the gap comes from REST, duplicates are removed', async () => {
  const h = await startMarketHarness({ symbols: ['BTC/USD', 'ETH/USD'] })
  const market = h.market as SyntheticMarket
  try {
    await waitFor('subscribed', () => h.producer.status().subscribed === 4)
    market.start() // a live market: trades keep coming before, during and after the outage
    for (let i = 0; i < 20; i++) for (const symbol of market.symbols) market.emitTrades(symbol, 2)
    await waitFor('first trades published', () => h.producer.lastTradeId('ETH/USD') !== undefined)
    // A short outage: the resubscribe snapshot (last 50 trades) overlaps what was published.
    h.server.faults.drop({ code: 1001, refuseMs: 100 })
    for (let i = 0; i < 5; i++) for (const symbol of market.symbols) market.emitTrades(symbol, 1)
    await waitFor(
      'reconnected',
      () => h.producer.status().connections >= 2 && h.producer.status().subscribed === 4,
      15_000
    )
    // A longer one: more trades than the snapshot returns, so the rest must come from REST.
    h.server.faults.drop({ code: 1006, refuseMs: 300 })
    for (let i = 0; i < 40; i++) for (const symbol of market.symbols) market.emitTrades(symbol, 2)
    await waitFor(
      'reconnected',
      () => h.producer.status().connections >= 3 && h.producer.status().subscribed === 4,
      15_000
    )
    for (let i = 0; i < 20; i++) for (const symbol of market.symbols) market.emitTrades(symbol, 2)
    market.stop()
    const expected = new Map(market.symbols.map(s => [s, market.history.all(s).map(t => t.id)]))
    await waitFor(
      'producer caught up',
      () => market.symbols.every(s => h.producer.lastTradeId(s) === expected.get(s)?.at(-1)),
      15_000
    )
    const records = await consumeUntil(
      [h.topics.trade],
      rs => rs.length >= [...expected.values()].reduce((n, ids) => n + ids.length, 0)
    )
    for (const symbol of market.symbols) {
      const ids = records.filter(r => r.key === symbol).map(r => tradeCodec.decode(r.value).tradeId)
      assert.deepEqual(ids, expected.get(symbol), `${symbol}: exactly once, in order`)
    }
    assert.ok((await total(h.metrics.gapFilledTrades)) > 0, 'the gap was filled from REST')
    assert.ok(
      (await total(h.metrics.duplicateTrades)) > 0,
      'the resubscribe snapshot overlapped and was deduplicated'
    )
    assert.equal(await total(h.metrics.gapUnfilledTrades), 0)
    const sources = new Set(records.map(r => tradeCodec.decode(r.value).source))
    assert.deepEqual([...sources].sort(), ['rest', 'ws'])
  } finally {
    await h.stop()
  }
})
