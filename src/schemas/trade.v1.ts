/**
 * A trade, published to `rawtrade` keyed by symbol. Natural key: (symbol, tradeId).
 *
 *   {"v":1,"type":"trade","exchange":"kraken","symbol":"BTC/USD","tradeId":61044952,
 *    "price":"30243.40000","qty":"0.34507674","side":"buy","ordType":"market",
 *    "exchangeTs":"2023-07-06T18:53:17.827736Z","receivedAt":"2023-07-06T18:53:17.901223Z","source":"ws"}
 *
 * `side` is the taker's side. `source` says whether it came live (ws) or from a REST gap fill or
 * backfill (rest); both carry the same tradeId sequence, which is what deduplicates them.
 */
import { type Static, Type } from '@sinclair/typebox'
import { Decimal, MarketSymbol, Timestamp, codec, envelope } from './common.ts'

export const TradeV1 = Type.Object({
  ...envelope('trade', 1),
  exchange: Type.Literal('kraken'),
  symbol: MarketSymbol,
  tradeId: Type.Integer({ minimum: 0, description: "the exchange's per-symbol sequential trade id" }),
  price: Decimal,
  qty: Decimal,
  side: Type.Union([Type.Literal('buy'), Type.Literal('sell')]),
  ordType: Type.Union([Type.Literal('market'), Type.Literal('limit')]),
  exchangeTs: Timestamp,
  receivedAt: Timestamp,
  source: Type.Union([Type.Literal('ws'), Type.Literal('rest')])
})

export type TradeV1 = Static<typeof TradeV1>
export const tradeCodec = codec('trade', 1, TradeV1)
