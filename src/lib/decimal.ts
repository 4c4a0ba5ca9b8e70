/**
 * Exact decimal arithmetic on scaled BigInts, for prices and quantities: a value is `units / 10^scale`.
 * Sums and products are exact (a product's scale is the sum of its factors' scales), so candles built
 * from the exchange's lexemes carry no binary-float drift. Only division rounds, and says how.
 */
export interface Decimal {
  readonly units: bigint
  readonly scale: number
}

const POWERS: bigint[] = [1n]
function pow10(n: number): bigint {
  for (let i = POWERS.length; i <= n; i++) POWERS.push((POWERS[i - 1] as bigint) * 10n)
  return POWERS[n] as bigint
}

export const ZERO: Decimal = { units: 0n, scale: 0 }

/**
 * Reads a decimal lexeme ("83744.20000", "-0.5": an optional minus, digits, optionally a point and
 * digits); throws on anything else (exponents included). A scan instead of a regular expression:
 * this runs twice for every trade, and the match's array and substrings were its largest garbage.
 */
export function parseDecimal(text: string): Decimal {
  const start = text.charCodeAt(0) === 45 /* - */ ? 1 : 0
  let point = -1
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 46 /* . */ && point === -1 && i > start) point = i
    else if (c < 48 || c > 57) point = -2
    if (point === -2) break
  }
  if (point === -2 || text.length === start || point === text.length - 1)
    throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`)
  const digits = point === -1 ? text.slice(start) : text.slice(start, point) + text.slice(point + 1)
  const units = BigInt(digits)
  return { units: start === 1 ? -units : units, scale: point === -1 ? 0 : text.length - point - 1 }
}

function rescale(value: Decimal, scale: number): bigint {
  return value.scale === scale ? value.units : value.units * pow10(scale - value.scale)
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale)
  return { units: rescale(a, scale) + rescale(b, scale), scale }
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale)
  return { units: rescale(a, scale) - rescale(b, scale), scale }
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale }
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale)
  const x = rescale(a, scale)
  const y = rescale(b, scale)
  return x < y ? -1 : x > y ? 1 : 0
}

export function isPositive(a: Decimal): boolean {
  return a.units > 0n
}

/**
 * a / b at `scale` decimals, truncated toward zero (Kraken's own rounding of VWAP: verified on its
 * candles) or rounded half to even. Throws on division by zero.
 */
export function divide(a: Decimal, b: Decimal, scale: number, rounding: 'truncate' | 'half-even'): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero')
  // a.units/10^as ÷ b.units/10^bs = (a.units · 10^(scale + bs − as)) / b.units, at `scale` decimals.
  const shift = scale + b.scale - a.scale
  const numerator = shift >= 0 ? a.units * pow10(shift) : a.units
  const denominator = shift >= 0 ? b.units : b.units * pow10(-shift)
  let quotient = numerator / denominator
  if (rounding === 'half-even') {
    const remainder = numerator - quotient * denominator
    const twice = 2n * (remainder < 0n ? -remainder : remainder)
    const absDenominator = denominator < 0n ? -denominator : denominator
    const negative = numerator < 0n !== denominator < 0n
    if (twice > absDenominator || (twice === absDenominator && quotient % 2n !== 0n)) {
      quotient += negative ? -1n : 1n
    }
  }
  return { units: quotient, scale }
}

/** Drops (truncates) digits beyond `scale`; never adds any. */
export function truncate(a: Decimal, scale: number): Decimal {
  if (a.scale <= scale) return a
  return { units: a.units / pow10(a.scale - scale), scale }
}

/** Text at the value's own scale ("105433.60000" stays so), as PostgreSQL `numeric` keeps it. */
export function formatDecimal(a: Decimal): string {
  const negative = a.units < 0n
  const digits = (negative ? -a.units : a.units).toString()
  if (a.scale === 0) return `${negative ? '-' : ''}${digits}`
  const padded = digits.padStart(a.scale + 1, '0')
  const point = padded.length - a.scale
  return `${negative ? '-' : ''}${padded.slice(0, point)}.${padded.slice(point)}`
}

/** For statistics (indicators, ratios) only: never feed the result back into money arithmetic. */
export function toNumber(a: Decimal): number {
  return Number(formatDecimal(a))
}

export function min(a: Decimal, b: Decimal): Decimal {
  return compare(a, b) <= 0 ? a : b
}

export function max(a: Decimal, b: Decimal): Decimal {
  return compare(a, b) >= 0 ? a : b
}
