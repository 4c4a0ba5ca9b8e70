/**
 * The independent reference for news impact: from the accepted trades themselves (not from candles),
 * minute by minute, the definitions of docs/impact.md written out the obvious way, on fixed-scale
 * integers where the job's figures are exact. Deliberately shares no code with src/jobs/analytics.
 */
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'
import { fixed, show } from './naive-buckets.ts'

const MINUTE_MS = 60_000
export const HORIZON_MINUTES = { '5m': 5, '30m': 30, '2h': 120, '24h': 1440 } as const

export interface NaiveImpact {
  horizon: keyof typeof HORIZON_MINUTES
  p0: string | null
  pH: string | null
  returnH: string | null
  /** A number: the job rounds it to 6 decimals. */
  abnormal: number | null
  volumeRatio: string | null
}

interface Minute {
  close: bigint // 5 decimals
  closeId: number
  volume: bigint // 8 decimals
}

/** Minute start (ms) → close (price of the highest trade id) and volume, for one symbol. */
function minutes(trades: readonly TradeV1[], symbol: string): Map<number, Minute> {
  const out = new Map<number, Minute>()
  for (const t of trades) {
    if (t.symbol !== symbol) continue
    const minute = Math.floor(Date.parse(t.exchangeTs) / MINUTE_MS) * MINUTE_MS
    const m = out.get(minute) ?? { close: 0n, closeId: -1, volume: 0n }
    if (t.tradeId > m.closeId) {
      m.close = fixed(t.price, 5)
      m.closeId = t.tradeId
    }
    m.volume += fixed(t.qty, 8)
    out.set(minute, m)
  }
  return out
}

/** a / b at `scale` decimals, rounded half to even; a and b positive integers of the same scale. */
function ratio(a: bigint, b: bigint, scale: number): bigint {
  const numerator = a * 10n ** BigInt(scale)
  const q = numerator / b
  const twice = 2n * (numerator - q * b)
  return twice > b || (twice === b && q % 2n === 1n) ? q + 1n : q
}

/** Rounds a fraction n / d (d > 0) half to even at `scale` decimals, for signed n. */
function signedRatio(n: bigint, d: bigint, scale: number): bigint {
  return n < 0n ? -ratio(-n, d, scale) : ratio(n, d, scale)
}

export function naiveImpact(trades: readonly TradeV1[], symbol: string, publishedAt: string): NaiveImpact[] {
  const byMinute = minutes(trades, symbol)
  const start = Math.floor(Date.parse(publishedAt) / MINUTE_MS) * MINUTE_MS
  const dayBefore = start - 1440 * MINUTE_MS
  const lastClose = (before: number): bigint | null => {
    for (let m = before - MINUTE_MS; m >= dayBefore; m -= MINUTE_MS) {
      const found = byMinute.get(m)
      if (found !== undefined) return found.close
    }
    return null
  }
  const volume = (from: number, to: number): bigint => {
    let sum = 0n
    for (let m = from; m < to; m += MINUTE_MS) sum += byMinute.get(m)?.volume ?? 0n
    return sum
  }
  const p0 = lastClose(start)
  // One-minute log returns of the day before, a quiet minute keeping the previous close.
  const returns: number[] = []
  let previous = byMinute.get(dayBefore - MINUTE_MS)?.close
  for (let m = dayBefore; m < start; m += MINUTE_MS) {
    const close = byMinute.get(m)?.close ?? previous
    if (previous !== undefined && close !== undefined)
      returns.push(Math.log(Number(close) / Number(previous)))
    previous = close
  }
  let sigma: number | null = null
  if (returns.length >= 30) {
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length
    sigma = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length)
  }
  const baseline = volume(dayBefore, start)
  return Object.entries(HORIZON_MINUTES).map(([horizon, h]) => {
    const name = horizon as keyof typeof HORIZON_MINUTES
    if (p0 === null)
      return { horizon: name, p0: null, pH: null, returnH: null, abnormal: null, volumeRatio: null }
    const end = Math.floor((Date.parse(publishedAt) + h * MINUTE_MS) / MINUTE_MS) * MINUTE_MS
    const pH = lastClose(end) ?? p0
    const returnUnits = signedRatio(pH - p0, p0, 12)
    const returnH = show(returnUnits, 12)
    return {
      horizon: name,
      p0: show(p0, 5),
      pH: show(pH, 5),
      returnH,
      abnormal: sigma === null || sigma === 0 ? null : Number(returnH) / (sigma * Math.sqrt(h)),
      volumeRatio:
        baseline === 0n ? null : show(ratio(volume(start, end) * 1440n, baseline * BigInt(h), 6), 6)
    }
  })
}
