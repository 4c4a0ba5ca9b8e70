/**
 * Independent references for the chart's indicators, the textbook way, sharing no code with
 * src/jobs/analytics or src/web: SMA, EMA (seeded with the SMA of its first `period` values),
 * Bollinger bands (population standard deviation), Wilder's RSI, session VWAP from the trades
 * themselves on fixed-scale integers (prices at 5 decimals, quantities at 8), and a value written
 * the way the dashboard shows prices.
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'

const DAY_MS = 86_400_000

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length

export function sma(closes: readonly number[], period: number): number {
  return mean(closes.slice(-period))
}

/** Seeded with the SMA of the first `period` closes, then k·close + (1 − k)·previous. */
export function ema(closes: readonly number[], period: number): number {
  const k = 2 / (period + 1)
  let value = mean(closes.slice(0, period))
  for (const close of closes.slice(period)) value = k * close + (1 - k) * value
  return value
}

/** Middle ± `width` population standard deviations of the last `period` closes. */
export function bollinger(
  closes: readonly number[],
  period: number,
  width: number
): { upper: number; lower: number } {
  const last = closes.slice(-period)
  const middle = mean(last)
  const sd = Math.sqrt(mean(last.map(c => (c - middle) ** 2)))
  return { upper: middle + width * sd, lower: middle - width * sd }
}

/** Wilder's RSI: averages seeded by the plain mean of the first `period` changes, then smoothed by 1/period. */
export function rsi(closes: readonly number[], period: number): number {
  const changes = closes.slice(1).map((close, i) => close - (closes[i] as number))
  let gain = mean(changes.slice(0, period).map(c => Math.max(c, 0)))
  let loss = mean(changes.slice(0, period).map(c => Math.max(-c, 0)))
  for (const change of changes.slice(period)) {
    gain = (gain * (period - 1) + Math.max(change, 0)) / period
    loss = (loss * (period - 1) + Math.max(-change, 0)) / period
  }
  return loss === 0 ? 100 : 100 - 100 / (1 + gain / loss)
}

/** Session VWAP (from 00:00 UTC) of the trades before `untilMs`: Σ price × qty / Σ qty. */
export function sessionVwap(trades: readonly TradeV1[], untilMs: number): number {
  const session = Math.floor((untilMs - 1) / DAY_MS) * DAY_MS
  const units = (lexeme: string, scale: number): bigint => {
    const [whole = '0', fraction = ''] = lexeme.split('.')
    return BigInt(whole + fraction.padEnd(scale, '0'))
  }
  let quote = 0n
  let volume = 0n
  for (const t of trades) {
    const at = Date.parse(t.exchangeTs)
    if (at < session || at >= untilMs) continue
    quote += units(t.price, 5) * units(t.qty, 8)
    volume += units(t.qty, 8)
  }
  return Number(quote) / Number(volume) / 1e5
}

/**
 * A computed value as the dashboard shows prices: places by magnitude (2 from 1 000, 4 from 1, 6
 * from 0.01), trailing zeros dropped down to two, thousands grouped by narrow no-break spaces.
 */
export function shownPrice(value: number): string {
  const abs = Math.abs(value)
  const places = abs >= 1000 ? 2 : abs >= 1 ? 4 : abs >= 0.01 ? 6 : 8
  const [whole = '', fraction = ''] = value.toFixed(places).split('.')
  return `${whole.replace(/\B(?=(\d{3})+$)/g, '\u202f')}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`
}
