/** Wall-clock time at microsecond precision, as RFC 3339 text (Date alone stops at milliseconds). */
import { microsToIso } from './event-time.ts'

const originMicros = BigInt(Math.round(performance.timeOrigin * 1000))

export function nowMicros(): bigint {
  return originMicros + BigInt(Math.round(performance.now() * 1000))
}

/** A number holds today's microseconds exactly (up to the year 2255), so event-time's writer serves. */
export function nowIsoMicros(): string {
  return microsToIso(Number(nowMicros()))
}
