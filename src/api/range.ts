/** Checks a request's time range beyond what its schema can say: real dates, order, and bounded span. */
import { isoToMillisForDatabase } from '../lib/event-time.ts'
import type { TimeRange } from '../store/queries/params.ts'
import { badRequest } from './errors.ts'

const DAY_MS = 86_400_000

/** A time parameter's epoch ms; a 400 naming it when it is not a real date and time. */
export function checkTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = isoToMillisForDatabase(value)
  if (ms === undefined)
    throw badRequest(
      name,
      'an RFC 3339 time with a zone, e.g. 2026-11-25T14:00:00Z',
      `parameter "${name}" is not a real date and time (a calendar day of years 0001–9999, a zone within ±15:59): ${value}`
    )
  return ms
}

/** Throws a 400 naming the parameter when the range is not a real, ordered range of at most `maxDays`. */
export function checkRange(range: TimeRange, maxDays: number): void {
  const from = checkTime('from', range.from)
  const to = checkTime('to', range.to)
  if (from !== undefined && to !== undefined) {
    if (to <= from)
      throw badRequest(
        'to',
        'a time after from',
        `parameter "to" (${range.to}) is not after "from" (${range.from})`
      )
    if (to - from > maxDays * DAY_MS)
      throw badRequest(
        'to',
        `at most ${maxDays} days after from`,
        `the range from ${range.from} to ${range.to} is longer than ${maxDays} days; page through it in smaller ranges`
      )
  }
}
