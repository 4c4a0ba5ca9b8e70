/**
 * A level-1 ticker update, published to `rawticker` keyed by symbol.
 *
 *   {"v":1,"type":"ticker","exchange":"kraken","symbol":"BTC/USD","bid":"83744.2","bidQty":"0.56251979",
 *    "ask":"83744.3","askQty":"0.00044780","last":"83744.3","volume":"3156.84782110","vwap":"84174.6",
 *    "low":"83163.6","high":"85247.4","change":"-429.3","changePct":"-0.51",
 *    "exchangeTs":"2026-09-25T17:48:26.844359Z","receivedAt":"2026-09-25T17:48:26.850012Z"}
 *
 * volume, vwap, low, high and change are over the last 24 h; changePct is in percent (-0.51 = -0.51 %).
 * exchangeTs is null when the venue sent none (older wire versions).
 */
import { type Static, Type } from '@sinclair/typebox'
import { Decimal, MarketSymbol, Timestamp, codec, envelope } from './common.ts'

export const TickerV1 = Type.Object({
  ...envelope('ticker', 1),
  exchange: Type.Literal('kraken'),
  symbol: MarketSymbol,
  bid: Decimal,
  bidQty: Decimal,
  ask: Decimal,
  askQty: Decimal,
  last: Decimal,
  volume: Decimal,
  vwap: Decimal,
  low: Decimal,
  high: Decimal,
  change: Decimal,
  changePct: Decimal,
  exchangeTs: Type.Union([Timestamp, Type.Null()]),
  receivedAt: Timestamp
})

export type TickerV1 = Static<typeof TickerV1>
export const tickerCodec = codec('ticker', 1, TickerV1)
