/**
 * Display formatting. Prices arrive as exact decimal strings and are shown from the string (grouped
 * and trimmed), never through a float, so what the exchange sent is what the user reads.
 */

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')

/** Decimal places worth showing for a price of this magnitude. */
export function priceDecimals(value: number): number {
  const abs = Math.abs(value)
  if (abs >= 1000) return 2
  if (abs >= 1) return 4
  if (abs >= 0.01) return 6
  return 8
}

/** "83744.20000" → "83 744.20": grouped, at most `decimals` places, trailing zeros kept to 2. */
export function formatDecimal(text: string, decimals = priceDecimals(Number(text))): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim())
  if (match === null) return text
  const [, sign = '', whole = '0', fraction = ''] = match
  let kept = fraction.slice(0, decimals)
  while (kept.length > 2 && kept.endsWith('0')) kept = kept.slice(0, -1)
  if (decimals > 0) kept = kept.padEnd(Math.min(2, decimals), '0')
  return `${sign}${group(whole === '' ? '0' : whole)}${kept === '' ? '' : `.${kept}`}`
}

/** A number at exactly `decimals` places, grouped: chart axes want labels of one width. */
export function formatFixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '—'
  const [whole = '0', fraction] = Math.abs(value).toFixed(decimals).split('.')
  return `${value < 0 ? '\u2212' : ''}${group(whole)}${fraction === undefined ? '' : `.${fraction}`}`
}

/** A signed percentage: "+1.23 %", "−0.51 %". */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '—'
  const sign = value > 0 ? '+' : value < 0 ? '\u2212' : ''
  return `${sign}${Math.abs(value).toFixed(2)}\u2009%`
}

/** The return as a percentage from its exact decimal text ("0.004211093825" → "+0.42 %"). */
export function formatReturn(value: string | null): string {
  return value === null ? '—' : formatPercent(Number(value) * 100)
}

/** "+2.4 σ": an abnormal return (in standard deviations) from its decimal text, signed, one decimal. */
export function formatSigma(value: string | null): string {
  if (value === null) return '—'
  const n = Number(value)
  return `${n > 0 ? '+' : n < 0 ? '\u2212' : ''}${Math.abs(n).toFixed(1)}\u2009σ`
}

/** Compact quantities: 1 234, 12.3 K, 4.56 M, 7.8 B. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '—'
  const abs = Math.abs(value)
  // Thousands stay whole up to 9 999 ("1 234"), then K, M, B with one decimal below 100 of a unit.
  const units: [number, number, string][] = [
    [1e9, 1e9, 'B'],
    [1e6, 1e6, 'M'],
    [1e4, 1e3, 'K']
  ]
  for (const [from, size, unit] of units)
    if (abs >= from) return `${(value / size).toFixed(abs >= size * 100 ? 0 : 1)}\u2009${unit}`
  if (Number.isInteger(value) || abs >= 100) return group(value.toFixed(0))
  return value.toFixed(abs >= 1 ? 2 : 4)
}

/** "3 s ago", "just now" (also for times a little ahead of the clock). */
export function formatAgo(ms: number): string {
  return ms < 1000 ? 'just now' : `${formatAge(ms)} ago`
}

/** "3 s", "4 min", "2 h", "5 d": how long ago, for freshness labels. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}\u2009s`
  if (s < 3600) return `${Math.floor(s / 60)}\u2009min`
  if (s < 86_400) return `${Math.floor(s / 3600)}\u2009h`
  return `${Math.floor(s / 86_400)}\u2009d`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Local wall-clock time, "14:05:09". */
export function formatClock(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Local date and time, "2026-11-25 14:05". */
export function formatDateTime(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The value of an <input type="datetime-local"> for a time (local, minutes). */
export function toLocalInput(ms: number): string {
  return formatDateTime(ms).replace(' ', 'T')
}

/** The time of an <input type="datetime-local"> value, or undefined when empty or invalid. */
export function fromLocalInput(value: string): number | undefined {
  const ms = new Date(value).getTime()
  return value === '' || Number.isNaN(ms) ? undefined : ms
}

/** Local date and time to the second, "2026-11-25 14:05:09": the replay playhead. */
export function formatMoment(ms: number): string {
  return `${formatDateTime(ms)}:${pad(new Date(ms).getSeconds())}`
}

/** A price computed here (not an exchange string), at the precision its magnitude deserves. */
export function formatPrice(value: number): string {
  return Number.isFinite(value) ? formatDecimal(value.toFixed(priceDecimals(value))) : '—'
}
