/** The candle intervals, in event time, aligned to the epoch (so `1d` buckets start at 00:00 UTC). */
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'

export interface Interval {
  readonly name: '1m' | '5m' | '15m' | '1h' | '1d'
  readonly micros: number
}

export const INTERVALS: readonly Interval[] = [
  { name: '1m', micros: MICROS_PER_MINUTE },
  { name: '5m', micros: 5 * MICROS_PER_MINUTE },
  { name: '15m', micros: 15 * MICROS_PER_MINUTE },
  { name: '1h', micros: 60 * MICROS_PER_MINUTE },
  { name: '1d', micros: 1440 * MICROS_PER_MINUTE }
]

export type IntervalName = Interval['name']

export function bucketOf(micros: number, interval: Interval): number {
  return Math.floor(micros / interval.micros) * interval.micros
}
