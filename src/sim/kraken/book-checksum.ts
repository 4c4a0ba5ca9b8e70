/**
 * The fake exchange's own book checksum, written apart from the client's (sources/kraken/book): a
 * fake that shared the code it tests would agree with that code's bugs. Kraken's rule: CRC32 of the
 * top 10 asks (low → high) then the top 10 bids (high → low), each level its price then its qty as
 * sent on the wire, without the decimal point and without leading zeros.
 */
import { crc32 } from 'node:zlib'

export interface WireLevel {
  readonly price: string
  readonly qty: string
}

function digitsOf(lexeme: string): string {
  const digits = lexeme.split('.').join('')
  let first = 0
  while (first < digits.length && digits[first] === '0') first++
  return digits.slice(first)
}

/** `asks` best (lowest) first, `bids` best (highest) first. */
export function wireChecksum(asks: readonly WireLevel[], bids: readonly WireLevel[]): number {
  const levels = [...asks.slice(0, 10), ...bids.slice(0, 10)]
  return crc32(levels.map(level => digitsOf(level.price) + digitsOf(level.qty)).join('')) >>> 0
}
