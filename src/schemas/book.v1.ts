/**
 * A checksum-verified top of the order book (Kraken WS `book`), published to `rawbook` keyed by
 * symbol, at most a few per second per symbol. Levels are [price, qty] lexemes, best first.
 *
 *   {"v":1,"type":"book","exchange":"kraken","symbol":"BTC/USD","depth":10,
 *    "bids":[["45283.5","0.10000000"]],"asks":[["45285.2","0.00100000"]],"checksum":3310070434,
 *    "exchangeTs":"2023-10-06T17:35:55.440295Z","receivedAt":"2023-10-06T17:35:55.451002Z"}
 */
import { type Static, Type } from '@sinclair/typebox'
import { Decimal, MarketSymbol, Timestamp, codec, envelope } from './common.ts'

const Level = Type.Tuple([Decimal, Decimal])

export const BookV1 = Type.Object({
  ...envelope('book', 1),
  exchange: Type.Literal('kraken'),
  symbol: MarketSymbol,
  depth: Type.Integer({ minimum: 1 }),
  bids: Type.Array(Level, { maxItems: 1000 }),
  asks: Type.Array(Level, { maxItems: 1000 }),
  checksum: Type.Integer({ minimum: 0, maximum: 4294967295 }),
  exchangeTs: Type.Union([Timestamp, Type.Null()]),
  receivedAt: Timestamp
})

export type BookV1 = Static<typeof BookV1>
export const bookCodec = codec('book', 1, BookV1)
