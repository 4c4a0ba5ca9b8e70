/**
 * Kraken's book checksum (WebSocket v2): CRC32 over the top 10 asks (low → high) then the top 10
 * bids (high → low), each level written as its price lexeme then its qty lexeme with the decimal
 * point removed and leading zeros stripped. It must be computed from the wire lexemes: `0.10000000`
 * and `0.1` give different strings, which is the classic bug.
 */
import { crc32 } from 'node:zlib'

export interface LevelText {
  readonly price: string
  readonly qty: string
}

const CHECKSUM_LEVELS = 10

function strip(lexeme: string): string {
  return lexeme.replace('.', '').replace(/^0+/, '')
}

/** `asks` best (lowest) first, `bids` best (highest) first; only the first 10 of each count. */
export function bookChecksum(asks: readonly LevelText[], bids: readonly LevelText[]): number {
  let text = ''
  for (const level of asks.slice(0, CHECKSUM_LEVELS)) text += strip(level.price) + strip(level.qty)
  for (const level of bids.slice(0, CHECKSUM_LEVELS)) text += strip(level.price) + strip(level.qty)
  return crc32(text) >>> 0
}
