/**
 * Event time as integer microseconds since the epoch (a JavaScript number holds them exactly until
 * the year 2255), read from RFC 3339 text without going through Date's millisecond precision.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 31)
}

/** Microseconds of an RFC 3339 time; digits beyond µs are truncated. Undefined for impossible dates. */
export function isoToMicros(text: string): number | undefined {
  const m = RFC3339.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const millis = Date.UTC(year, month - 1, day, hour, minute, second)
  const zone = m[8] ?? 'Z'
  const offsetMinutes =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)))
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6))
  return (millis - offsetMinutes * 60_000) * 1000 + micros
}

/** "2025-11-10T17:23:00.000000Z": µs precision, UTC, as the database and the API show times. */
export function microsToIso(micros: number): string {
  const millis = Math.floor(micros / 1000)
  const rest = String(micros - millis * 1000).padStart(3, '0')
  return new Date(millis).toISOString().replace('Z', `${rest}Z`)
}

export const MICROS_PER_SECOND = 1_000_000
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND
