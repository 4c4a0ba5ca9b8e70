/**
 * Exact decimal arithmetic on lexemes for the simulator (candles from trades: volume sums, VWAP):
 * values are scaled BigInts, so a simulated candle is as exact as a real one.
 */
export function toScaled(lexeme: string, decimals: number): bigint {
  const negative = lexeme.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? lexeme.slice(1) : lexeme).split('.')
  const digits = BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals))
  return negative ? -digits : digits
}

export function fromScaled(value: bigint, decimals: number): string {
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0')
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`
  return negative ? `-${text}` : text
}

/** A float rounded to `decimals` places, as a lexeme (for generated prices and sizes). */
export function formatFixed(value: number, decimals: number): string {
  return value.toFixed(decimals)
}

/** Integer division rounding half away from zero. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator
  const remainder = numerator % denominator
  return remainder * 2n >= denominator ? quotient + 1n : quotient
}
