/** Candle intervals and the conversions between API times (RFC 3339) and chart times (seconds). */
import { type Interval, Intervals } from '../../contract/vocabulary.ts'

const MINUTE = 60_000
export const intervalMs: Record<Interval, number> = {
  '1m': MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '1h': 60 * MINUTE,
  '1d': 1440 * MINUTE
}

export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (Intervals as readonly string[]).includes(value)
}

/** Milliseconds since the epoch of an RFC 3339 time (µs precision is cut to ms). */
export function toMs(iso: string): number {
  return Date.parse(iso)
}

/** An API time parameter: RFC 3339 UTC. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Chart time: whole seconds since the epoch (lightweight-charts' UTCTimestamp). */
export function toChartTime(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000)
}

/** The start of the bucket of `interval` containing `ms` (buckets are aligned to the epoch). */
export function bucketStart(ms: number, interval: Interval): number {
  const size = intervalMs[interval]
  return Math.floor(ms / size) * size
}
