/**
 * Strict RFC 3339 date-times, as the API's time parameters take them ("2026-11-25T14:00:00Z",
 * "2026-11-25T16:00:00.123456+02:00"): a real calendar date (no 30 February), years 0001 to 9999,
 * hours 00–23, minutes and seconds 00–59, and a zone offset within ±15:59. That is what both
 * PostgreSQL's timestamptz and JavaScript's Date accept; Date.parse alone rolls 30 February over
 * into March and takes year 0 and any offset, which the database then refuses.
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Epoch milliseconds of a strict RFC 3339 time, or undefined when it is not one. */
export function parseRfc3339(text: string): number | undefined {
  const m = PATTERN.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offsetMinutes = 0
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[10])
    const offsetMins = Number(m[11])
    if (offsetHours > 15 || offsetMins > 59) return undefined
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins)
  }
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, Math.floor(Number(m[7] ?? 0) * 1000))
  return date.getTime() - offsetMinutes * 60_000
}
