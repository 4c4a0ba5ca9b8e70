/** The candle intervals, in event time, aligned to the epoch (so `1d` buckets start at 00:00 UTC). */
import { MICROS_PER_MINUTE } from '../../../lib/event-time.ts'
import type { Interval as ApiInterval } from '../../../contract/vocabulary.ts'

export interface Interval {
  readonly name: IntervalName
  readonly micros: number
}

export const INTERVALS: readonly Interval[] = [
  { name: '1m', micros: MICROS_PER_MINUTE },
  { name: '5m', micros: 5 * MICROS_PER_MINUTE },
  { name: '15m', micros: 15 * MICROS_PER_MINUTE },
  { name: '1h', micros: 60 * MICROS_PER_MINUTE },
  { name: '1d', micros: 1440 * MICROS_PER_MINUTE }
]

/** The API's interval names (src/contract/vocabulary.ts): what is computed is what can be asked for. */
export type IntervalName = ApiInterval

export function bucketOf(micros: number, interval: Interval): number {
  return Math.floor(micros / interval.micros) * interval.micros
}
