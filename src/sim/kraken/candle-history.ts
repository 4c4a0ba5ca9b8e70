/**
 * The synthetic market's distant past, as candles only: what the fake REST `OHLC` serves before the
 * trade history begins, so a replay can preload days of market history in a few requests without
 * keeping millions of trades. One continuous random walk, generated backwards from where the trade
 * history starts, at three resolutions that never overlap: minutes for the last `minuteDays`,
 * hours before that up to `hourDays`, days before that. A longer interval is the aggregate of the
 * finest candles inside it, so the 1h chart and the 1m chart tell the same story.
 *
 * Bounded and compact: numbers in typed arrays (one week of minutes is ~10,000 candles).
 */
import { formatFixed } from './fixed.ts'
import type { Precision } from './market.ts'
import { type PairProfile, gaussian } from './profiles.ts'
import type { Candle } from './trade-history.ts'

const DAY_S = 86_400

export interface CandleHistoryOptions {
  profile: PairProfile
  /** Where the trade history starts (epoch s) and its price then: the walk ends there. */
  endS: number
  endPrice: number
  /** The oldest time covered (epoch s); clipped to whole levels. */
  fromS: number
  /** Where the walk must start, at `fromS` (the previous run's last price): a bridge, not a free walk. */
  startPrice?: number
  random: () => number
  /** Span of the minute level (default 8 days: 720 candles of 15 minutes), then of the hour level. */
  minuteDays?: number
  hourDays?: number
}

interface Level {
  stepS: number
  /** Epoch s of the first candle; candle i starts at begin + i·stepS. */
  begin: number
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
  trades: Float64Array
}

export interface Numeric {
  begin: number
  open: number
  high: number
  low: number
  close: number
  notional: number
  volume: number
  count: number
}

/** Candles of one bucket being added up, with the times of its first and last part. */
export interface Aggregate extends Numeric {
  firstAt: number
  lastAt: number
}

export class CandleHistory {
  readonly #levels: Level[]

  constructor(o: CandleHistoryOptions) {
    const endS = Math.floor(o.endS / 60) * 60
    const minuteFrom = Math.max(o.fromS, floorDay(endS - (o.minuteDays ?? 8) * DAY_S))
    const hourFrom = Math.max(o.fromS, floorDay(endS - (o.hourDays ?? 32) * DAY_S))
    const spans = [
      { stepS: 60, from: alignUp(minuteFrom, 60), to: endS },
      { stepS: 3_600, from: alignUp(hourFrom, 3_600), to: alignUp(minuteFrom, 60) },
      { stepS: DAY_S, from: alignUp(o.fromS, DAY_S), to: alignUp(hourFrom, 3_600) }
    ]
    let price = o.endPrice
    this.#levels = []
    for (const span of spans) {
      const count = Math.max(0, Math.floor((span.to - span.from) / span.stepS))
      const begin = span.to - count * span.stepS
      const level = walkBack(o.profile, { begin, stepS: span.stepS, count }, price, o.random)
      price = level.open[0] ?? price
      this.#levels.push(level)
    }
    if (o.startPrice !== undefined && o.startPrice > 0) this.#bridge(o.startPrice, price, endS)
  }

  /** The oldest time covered, epoch s (Infinity when nothing is). */
  get fromS(): number {
    return Math.min(...this.#levels.map(l => (l.open.length > 0 ? l.begin : Infinity)))
  }

  /**
   * Candles of `intervalS` seconds starting at or after `fromS`, oldest first, each the aggregate of
   * the finest candles inside it; resolutions that do not fit the interval are left out (no 5-minute
   * candles where only hours exist).
   */
  candles(intervalS: number, precision: Precision, fromS = 0): Candle[] {
    const merged = new Map<number, Aggregate>()
    for (const level of this.#levels) {
      if (intervalS % level.stepS !== 0) continue
      for (let i = 0; i < level.open.length; i++) {
        const begin = level.begin + i * level.stepS
        const bucket = Math.floor(begin / intervalS) * intervalS
        if (bucket < fromS) continue
        mergeInto(merged, bucket, numericAt(level, i, begin))
      }
    }
    return [...merged.values()].sort((a, b) => a.begin - b.begin).map(c => toCandle(c, precision))
  }

  /** Tilts the walk (in log space, linearly in time) so that it starts at `startPrice`. */
  #bridge(startPrice: number, walkedStart: number, endS: number): void {
    const from = this.fromS
    if (!(from < endS) || !(walkedStart > 0)) return
    const total = Math.log(startPrice / walkedStart)
    for (const level of this.#levels) {
      for (let i = 0; i < level.open.length; i++) {
        const at = level.begin + i * level.stepS
        const factor = Math.exp((total * (endS - at)) / (endS - from))
        for (const series of [level.open, level.high, level.low, level.close])
          series[i] = (series[i] ?? 0) * factor
      }
    }
  }
}

function floorDay(seconds: number): number {
  return Math.floor(seconds / DAY_S) * DAY_S
}

function alignUp(seconds: number, stepS: number): number {
  return Math.ceil(seconds / stepS) * stepS
}

/** `count` candles of `stepS` from `begin`, walked backwards from `endPrice` at the last close. */
function walkBack(
  profile: PairProfile,
  span: { begin: number; stepS: number; count: number },
  endPrice: number,
  random: () => number
): Level {
  const { begin, stepS, count } = span
  const level: Level = {
    stepS,
    begin,
    open: new Float64Array(count),
    high: new Float64Array(count),
    low: new Float64Array(count),
    close: new Float64Array(count),
    volume: new Float64Array(count),
    trades: new Float64Array(count)
  }
  const sigma = profile.dailyVolatility * Math.sqrt(stepS / DAY_S)
  const perStep = profile.tradesPerSecond * stepS
  let close = endPrice
  for (let i = count - 1; i >= 0; i--) {
    const open = close * Math.exp(-sigma * gaussian(random))
    // The range beyond open and close: a fraction of the step's volatility, never negative.
    const high = Math.max(open, close) * Math.exp(Math.abs(gaussian(random)) * sigma * 0.4)
    const low = Math.min(open, close) * Math.exp(-Math.abs(gaussian(random)) * sigma * 0.4)
    const trades = Math.max(1, Math.round(perStep * Math.exp(gaussian(random) * 0.35)))
    level.open[i] = open
    level.high[i] = high
    level.low[i] = low
    level.close[i] = close
    level.trades[i] = trades
    level.volume[i] = trades * profile.typicalQty * Math.exp(gaussian(random) * 0.3)
    close = open
  }
  return level
}

function numericAt(level: Level, i: number, begin: number): Numeric {
  const open = level.open[i] ?? 0
  const high = level.high[i] ?? 0
  const low = level.low[i] ?? 0
  const close = level.close[i] ?? 0
  const volume = level.volume[i] ?? 0
  return {
    begin,
    open,
    high,
    low,
    close,
    notional: volume * ((open + high + low + close) / 4),
    volume,
    count: level.trades[i] ?? 0
  }
}

/**
 * Adds candle `c` to its bucket's aggregate: open of the earliest part, close of the latest. Parts
 * with the same time (a bucket's older candles and its trades' candle) keep arrival order: the
 * first one added opens, the last one closes.
 */
export function mergeInto(merged: Map<number, Aggregate>, bucket: number, c: Numeric): void {
  const current = merged.get(bucket)
  if (current === undefined) {
    merged.set(bucket, { ...c, begin: bucket, firstAt: c.begin, lastAt: c.begin })
    return
  }
  if (c.begin < current.firstAt) {
    current.open = c.open
    current.firstAt = c.begin
  }
  if (c.begin >= current.lastAt) {
    current.close = c.close
    current.lastAt = c.begin
  }
  current.high = Math.max(current.high, c.high)
  current.low = Math.min(current.low, c.low)
  current.notional += c.notional
  current.volume += c.volume
  current.count += c.count
}

export function toCandle(c: Numeric, precision: Precision): Candle {
  const p = precision.price
  return {
    begin: c.begin,
    open: formatFixed(c.open, p),
    high: formatFixed(c.high, p),
    low: formatFixed(c.low, p),
    close: formatFixed(c.close, p),
    vwap: formatFixed(c.volume > 0 ? c.notional / c.volume : c.close, p),
    volume: formatFixed(c.volume, precision.qty),
    count: c.count
  }
}

/** Candle lists of the same interval (older candles, candles from trades) as one, a bucket once. */
export function combineCandles(lists: readonly (readonly Candle[])[], precision: Precision): Candle[] {
  const lone = lists.filter(list => list.length > 0)
  if (lone.length <= 1) return [...(lone[0] ?? [])]
  const merged = new Map<number, Aggregate>()
  for (const list of lone)
    for (const c of list) {
      const volume = Number(c.volume)
      const numeric: Numeric = {
        begin: c.begin,
        open: Number(c.open),
        high: Number(c.high),
        low: Number(c.low),
        close: Number(c.close),
        notional: Number(c.vwap) * volume,
        volume,
        count: c.count
      }
      mergeInto(merged, c.begin, numeric)
    }
  return [...merged.values()].sort((a, b) => a.begin - b.begin).map(c => toCandle(c, precision))
}
