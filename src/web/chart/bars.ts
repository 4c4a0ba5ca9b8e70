/** Candles as the chart draws them: numbers at chart times (seconds), from the API's exact strings. */
import type { Candle } from '../data/types.ts'
import { toChartTime } from '../lib/time.ts'

export interface Bar {
  time: number
  open: number
  high: number
  low: number
  close: number
  volume: number
  quoteVolume: number
  /** Taker buy and sell volume (pressure), when the candle carries them. */
  buyVolume?: number
  sellVolume?: number
  /** The exchange's own candle (Kraken's OHLC), not one built from trades the pipeline saw. */
  exchange?: true
}

export function toBar(candle: Candle): Bar {
  return {
    time: toChartTime(candle.bucket),
    open: Number(candle.open),
    high: Number(candle.high),
    low: Number(candle.low),
    close: Number(candle.close),
    volume: Number(candle.volume),
    quoteVolume: Number(candle.quoteVolume),
    ...(candle.buyVolume === undefined || candle.sellVolume === undefined
      ? {}
      : { buyVolume: Number(candle.buyVolume), sellVolume: Number(candle.sellVolume) }),
    ...(candle.source === 'exchange' ? { exchange: true as const } : {})
  }
}

const DAY_SECONDS = 86_400

/**
 * Session VWAP (anchored at 00:00 UTC, as exchanges publish it) at bar `index`: Σ price×qty / Σ qty
 * over the session's bars so far. Daily bars are each their own session (their own VWAP).
 */
export function sessionVwapAt(bars: readonly Bar[], index: number): number | undefined {
  const bar = bars[index]
  if (bar === undefined) return undefined
  const session = Math.floor(bar.time / DAY_SECONDS)
  let quote = 0
  let volume = 0
  for (let i = index; i >= 0; i--) {
    const b = bars[i]
    if (b === undefined || Math.floor(b.time / DAY_SECONDS) !== session) break
    quote += b.quoteVolume
    volume += b.volume
  }
  return volume > 0 ? quote / volume : undefined
}

/** The whole session-VWAP line in one pass. */
export function sessionVwap(bars: readonly Bar[]): { time: number; value: number }[] {
  const out: { time: number; value: number }[] = []
  let session = -1
  let quote = 0
  let volume = 0
  for (const bar of bars) {
    const day = Math.floor(bar.time / DAY_SECONDS)
    if (day !== session) {
      session = day
      quote = 0
      volume = 0
    }
    quote += bar.quoteVolume
    volume += bar.volume
    if (volume > 0) out.push({ time: bar.time, value: quote / volume })
  }
  return out
}
