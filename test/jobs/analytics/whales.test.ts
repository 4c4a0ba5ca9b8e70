import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseDecimal } from '../../../src/lib/decimal.ts'
import { toAlert } from '../../../src/jobs/analytics/alerts/alert-ids.ts'
import { RollingQuantile } from '../../../src/jobs/analytics/whales/rolling-quantile.ts'
import { WhaleWatch, type WhaleSettings } from '../../../src/jobs/analytics/whales/whale-watch.ts'
import { seededRandom } from '../../helpers/synthetic-trades.ts'

/** Nearest-rank quantile of a list, the obvious way. */
function bruteQuantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0 || values.length < Math.ceil(1 / (1 - q) - 1e-9)) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(q * sorted.length - 1e-9) - 1]
}

test('the rolling quantile equals a sort of the last N values at every step, for several quantiles and windows', () => {
  for (const [q, window, seed] of [
    [0.999, 1_500, 1],
    [0.99, 300, 2],
    [0.9, 50, 3],
    [0.5, 20, 4]
  ] as const) {
    const random = seededRandom(seed)
    const quantile = new RollingQuantile(q, window)
    // The same values through valueThenAdd, the whale rule's one-pass form of value() then add().
    const onePass = new RollingQuantile(q, window)
    const values: number[] = []
    for (let i = 0; i < 4_000; i++) {
      // Every step near the start, every few steps after (sorting the window is what costs).
      if (i < 200 || i % 5 === 0)
        assert.equal(quantile.value(), bruteQuantile(values.slice(-window), q), `q ${q} step ${i}`)
      // Heavy-tailed, with ties: what trade notionals look like.
      const value = Math.round(Math.exp(random() * 8) * 100) / 100
      assert.equal(onePass.valueThenAdd(value), quantile.value(), `one pass, q ${q} step ${i}`)
      quantile.add(value)
      values.push(value)
    }
    assert.deepEqual(onePass.toJSON(), quantile.toJSON())
    assert.ok(quantile.toJSON().candidates.length < 200, 'the state stays small')
  }
})

test('a rolling quantile rebuilt from its saved state answers exactly as the one that kept running', () => {
  const random = seededRandom(9)
  const running = new RollingQuantile(0.99, 500)
  let restarted = new RollingQuantile(0.99, 500)
  for (let i = 0; i < 3_000; i++) {
    const value = random() * 1_000
    running.add(value)
    restarted.add(value)
    if (i % 137 === 0)
      restarted = new RollingQuantile(0.99, 500, JSON.parse(JSON.stringify(restarted.toJSON())))
    assert.equal(restarted.value(), running.value())
  }
})

const settings: WhaleSettings = { minNotionalUsd: 100_000, bySymbol: new Map(), quantile: 0, window: 1000 }
let nextId = 1
const trade = (price: string, qty: string, side: 'buy' | 'sell' = 'buy') => ({
  tradeId: nextId++,
  ts: Date.UTC(2026, 10, 25, 14, 0) * 1000 + nextId,
  price: parseDecimal(price),
  qty: parseDecimal(qty),
  side
})

test('a trade whose notional exceeds the fixed USD threshold raises one alert identified by its trade id', () => {
  const watch = new WhaleWatch('BTC/USD', settings)
  assert.equal(watch.check(trade('100000.0', '1.00000000')), undefined, 'equal is not above')
  const whale = trade('100000.0', '2.50000000', 'sell')
  const draft = watch.check(whale)
  assert.ok(draft)
  assert.equal(draft.kind, 'whale_trade')
  assert.equal(draft.value, 250_000)
  assert.equal(draft.threshold, 100_000)
  assert.equal(draft.severity, 'critical')
  assert.deepEqual(draft.details, {
    tradeId: whale.tradeId,
    side: 'sell',
    price: '100000.0',
    qty: '2.50000000',
    notional: '250000.000000000',
    quote: 'USD',
    thresholdSource: 'fixed'
  })
  const alert = toAlert(draft, 15 * 60_000_000, '2026-11-25T14:00:01.000000Z')
  assert.equal(alert.id, `whale_trade:BTC/USD:${whale.tradeId}`)
  assert.match(alert.title, /BTC\/USD whale sell: 2\.50000000 BTC ≈ 250K USD/)
})

test('pairs quoted in another currency need their own threshold; a per-pair override wins over the floor', () => {
  assert.equal(new WhaleWatch('ETH/BTC', settings).check(trade('0.05', '10000')), undefined)
  const own = {
    ...settings,
    bySymbol: new Map([
      ['ETH/BTC', 100],
      ['DOGE/USD', 5_000]
    ])
  }
  assert.ok(new WhaleWatch('ETH/BTC', own).check(trade('0.05', '3000')))
  assert.ok(new WhaleWatch('DOGE/USD', own).check(trade('0.2', '30000')))
  assert.ok(new WhaleWatch('BTC/USDT', settings).check(trade('100000', '1.5')), 'stablecoins count as USD')
  const disabled = new WhaleWatch('BTC/USD', { ...settings, minNotionalUsd: 0 })
  assert.equal(disabled.check(trade('100000', '1000')), undefined, '0 disables the rule')
})

test('with a quantile, the threshold is the larger of the floor and the quantile of the trades before', () => {
  const watch = new WhaleWatch('BTC/USD', { ...settings, minNotionalUsd: 1_000, quantile: 0.9, window: 10 })
  // Until the window holds 1 / (1 − q) = 10 trades there is no quantile: the floor alone decides.
  assert.ok(watch.check(trade('2000', '1')))
  for (let i = 0; i < 9; i++) watch.check(trade('2000', '1'))
  // The quantile (2,000) is now above the floor: 2,000 is no longer a whale, 2,500 is.
  assert.equal(watch.check(trade('2000', '1')), undefined)
  const draft = watch.check(trade('2500', '1'))
  assert.equal(draft?.details.thresholdSource, 'quantile')
  assert.equal(draft?.threshold, 2_000)
})
