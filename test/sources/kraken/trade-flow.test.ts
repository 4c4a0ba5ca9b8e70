import assert from 'node:assert/strict'
import { test } from 'node:test'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import type { TradeV1 } from '../../../src/schemas/index.ts'
import type { GapRequest } from '../../../src/sources/kraken/gap-fill.ts'
import { TradeFlow } from '../../../src/sources/kraken/trade-flow.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'

function trade(id: number, source: TradeV1['source'] = 'ws', symbol = 'BTC/USD'): TradeV1 {
  return {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId: id,
    price: '1.0',
    qty: '1.0',
    side: 'buy',
    ordType: 'limit',
    exchangeTs: `2026-11-25T14:00:${String(id % 60).padStart(2, '0')}.000000Z`,
    receivedAt: '2026-11-25T14:00:00.000000Z',
    source
  }
}

function flow(fetchGap: (gap: GapRequest) => Promise<TradeV1[]>) {
  const emitted: TradeV1[] = []
  const metrics = createProducerMetrics(createMetricsRegistry())
  const tradeFlow = new TradeFlow({ emit: t => emitted.push(t), fetchGap, metrics, log: silentLogger() })
  return { tradeFlow, emitted, metrics }
}

const ids = (trades: TradeV1[]) => trades.map(t => `${t.symbol}#${t.tradeId}`)

test('a resubscribe snapshot overlapping published trades publishes only the new ones', async () => {
  const { tradeFlow, emitted, metrics } = flow(async () => [])
  tradeFlow.offer([1, 2, 3].map(id => trade(id)))
  tradeFlow.offer([2, 3, 4, 5].map(id => trade(id)))
  assert.deepEqual(ids(emitted), ['BTC/USD#1', 'BTC/USD#2', 'BTC/USD#3', 'BTC/USD#4', 'BTC/USD#5'])
  assert.equal((await metrics.duplicateTrades.get()).values[0]?.value, 2)
})

test('a gap is filled from REST before the held live trades, in id order, each once', async () => {
  const gaps: GapRequest[] = []
  let answer: () => void = () => undefined
  const { tradeFlow, emitted } = flow(async gap => {
    gaps.push(gap)
    // REST answers when the test says: live trades keep arriving while the fill is out.
    await new Promise<void>(resolve => (answer = resolve))
    // REST overlaps both sides of the gap: the watermark trade and the first live one.
    return [10, 11, 12, 13, 14, 15].map(id => trade(id, 'rest'))
  })
  tradeFlow.offer([9, 10].map(id => trade(id)))
  tradeFlow.offer([15, 16].map(id => trade(id)))
  tradeFlow.offer([17].map(id => trade(id)))
  assert.deepEqual(gaps, [{ symbol: 'BTC/USD', after: 10, afterTs: trade(10).exchangeTs, before: 15 }])
  assert.deepEqual(
    emitted.map(t => t.tradeId),
    [9, 10],
    'live trades after the gap are held while it is filled'
  )
  answer()
  await tradeFlow.settled()
  assert.deepEqual(
    emitted.map(t => t.tradeId),
    [9, 10, 11, 12, 13, 14, 15, 16, 17]
  )
  assert.deepEqual(
    emitted.slice(2, 6).map(t => t.source),
    ['rest', 'rest', 'rest', 'rest']
  )
})

test('a gap on one symbol does not hold back another symbol', async () => {
  let release: () => void = () => undefined
  const { tradeFlow, emitted } = flow(
    () => new Promise(resolve => (release = () => resolve([trade(2, 'rest')])))
  )
  tradeFlow.offer([trade(1), trade(3), trade(100, 'ws', 'ETH/USD'), trade(101, 'ws', 'ETH/USD')])
  assert.deepEqual(ids(emitted), ['BTC/USD#1', 'ETH/USD#100', 'ETH/USD#101'])
  release()
  await tradeFlow.settled()
  assert.deepEqual(ids(emitted).slice(3), ['BTC/USD#2', 'BTC/USD#3'])
})

test('what REST cannot provide is counted as unfilled, and live trades resume after it', async () => {
  const { tradeFlow, emitted, metrics } = flow(async () => {
    throw new Error('REST down')
  })
  tradeFlow.offer([trade(1), trade(5), trade(6)])
  await tradeFlow.settled()
  assert.deepEqual(
    emitted.map(t => t.tradeId),
    [1, 5, 6]
  )
  assert.equal((await metrics.gapUnfilledTrades.get()).values[0]?.value, 3)
  tradeFlow.offer([trade(7)])
  assert.deepEqual(
    emitted.map(t => t.tradeId),
    [1, 5, 6, 7]
  )
})
