import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BollingerBands, EMA, MACD, RSI, SD, SMA } from 'technicalindicators'
import {
  bollinger,
  ema,
  macd,
  rsi,
  sma,
  stdDev,
  volatility
} from '../../../src/jobs/analytics/indicators/indicators.ts'
import { effectiveWindow, indicatorsAt } from '../../../src/jobs/analytics/indicators/indicator-set.ts'
import { seededRandom } from '../../helpers/synthetic-trades.ts'

const random = seededRandom(42)
const closes: number[] = []
for (let i = 0, price = 30_000; i < 250; i++) closes.push((price *= 1 + (random() - 0.5) * 0.01))

/** Our value at each point of the series next to the library's output aligned at the end. */
function compareSeries(
  ours: (prefix: number[]) => number | undefined,
  reference: number[],
  tolerance: (expected: number) => number
): void {
  const offset = closes.length - reference.length
  for (let end = 1; end <= closes.length; end++) {
    const value = ours(closes.slice(0, end))
    const expected = reference[end - 1 - offset]
    if (expected === undefined) {
      assert.equal(value, undefined, `no value yet at ${end}`)
      continue
    }
    assert.ok(value !== undefined, `value at ${end}`)
    assert.ok(Math.abs(value - expected) <= tolerance(expected), `at ${end}: ${value} vs ${expected}`)
  }
}

const relative = (expected: number): number => Math.abs(expected) * 1e-10
// MACD values are differences of prices near 30,000: compare at the prices' scale, not their own.
const absolute = (): number => 30_000 * 1e-10

test('SMA matches technicalindicators at every point of the series', () => {
  for (const period of [5, 20, 50]) {
    compareSeries(s => sma(s, period), SMA.calculate({ period, values: closes }), relative)
  }
})

test('EMA (seeded with the SMA of its first period) matches technicalindicators', () => {
  for (const period of [12, 26]) {
    compareSeries(s => ema(s, period), EMA.calculate({ period, values: closes }), relative)
  }
})

test('RSI with Wilder smoothing matches technicalindicators (which rounds to two decimals)', () => {
  compareSeries(
    s => rsi(s, 14),
    RSI.calculate({ period: 14, values: closes }),
    () => 0.005 + 1e-9
  )
})

test('RSI is 100 without losses and 0 without gains, as in the library', () => {
  assert.equal(rsi([1, 2, 3, 4, 5], 3), 100)
  assert.equal(rsi([5, 4, 3, 2, 1], 3), 0)
})

test('standard deviation and Bollinger bands match technicalindicators', () => {
  compareSeries(s => stdDev(s, 20), SD.calculate({ period: 20, values: closes }), relative)
  const bands = BollingerBands.calculate({ period: 20, stdDev: 2, values: closes })
  compareSeries(
    s => bollinger(s, 20, 2)?.upper,
    bands.map(b => b.upper),
    relative
  )
  compareSeries(
    s => bollinger(s, 20, 2)?.lower,
    bands.map(b => b.lower),
    relative
  )
  compareSeries(
    s => bollinger(s, 20, 2)?.middle,
    bands.map(b => b.middle),
    relative
  )
})

test('volatility is the standard deviation of log returns (library SD over the same returns)', () => {
  const returns = closes.slice(1).map((c, i) => Math.log(c / (closes[i] as number)))
  const reference = [undefined, ...SD.calculate({ period: 20, values: returns })].filter(v => v !== undefined)
  compareSeries(s => volatility(s, 20), reference, relative)
})

test('the configured set names each value and leaves out what the series cannot support yet', () => {
  const settings = {
    window: 10,
    smaPeriods: [3, 30],
    emaPeriods: [4],
    rsiPeriod: 5,
    bollingerPeriod: 4,
    bollingerStdDev: 2.5,
    volatilityPeriod: 3
  }
  assert.equal(effectiveWindow(settings), 30)
  const names = indicatorsAt(closes.slice(0, 6), settings).map(([name]) => name)
  assert.deepEqual(names, [
    'sma_3',
    'ema_4',
    'rsi_5',
    'bb_upper_4_2.5',
    'bb_middle_4_2.5',
    'bb_lower_4_2.5',
    'volatility_3'
  ])
})

test('MACD 12/26/9 (line, signal, histogram) matches technicalindicators at every point of the series', () => {
  const reference = MACD.calculate({
    values: closes,
    fastPeriod: 12,
    slowPeriod: 26,
    signalPeriod: 9,
    SimpleMAOscillator: false,
    SimpleMASignal: false
  })
  // The library's output starts where the slow EMA exists; its signal and histogram nine values later.
  compareSeries(
    s => macd(s, 12, 26, 9)?.macd,
    reference.map(r => r.MACD ?? NaN),
    absolute
  )
  const withSignal = reference.filter(r => r.signal !== undefined)
  compareSeries(
    s => macd(s, 12, 26, 9)?.signal,
    withSignal.map(r => r.signal ?? NaN),
    absolute
  )
  compareSeries(
    s => macd(s, 12, 26, 9)?.histogram,
    withSignal.map(r => r.histogram ?? NaN),
    absolute
  )
})

test('MACD has no value before the slow EMA exists, and no signal before nine MACD values', () => {
  assert.equal(macd(closes.slice(0, 25), 12, 26, 9), undefined)
  const first = macd(closes.slice(0, 26), 12, 26, 9)
  assert.ok(first !== undefined && first.signal === undefined && first.histogram === undefined)
  assert.ok(macd(closes.slice(0, 34), 12, 26, 9)?.signal !== undefined)
})

test('the configured MACD is stored under three names and widens the window to what its signal needs', () => {
  const settings = {
    window: 10,
    smaPeriods: [3],
    emaPeriods: [4],
    rsiPeriod: 5,
    bollingerPeriod: 4,
    bollingerStdDev: 2,
    volatilityPeriod: 3,
    macd: { fast: 12, slow: 26, signal: 9 }
  }
  assert.equal(effectiveWindow(settings), 34)
  const values = new Map(indicatorsAt(closes.slice(0, 40), settings))
  const line = values.get('macd_12_26_9')
  const signal = values.get('macd_signal_12_26_9')
  const histogram = values.get('macd_hist_12_26_9')
  assert.ok(line !== undefined && signal !== undefined && histogram !== undefined)
  assert.ok(Math.abs(line - signal - histogram) < 1e-9)
})
