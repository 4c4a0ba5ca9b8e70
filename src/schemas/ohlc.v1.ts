/**
 * The exchange's own candle (Kraken WS `ohlc` channel or REST OHLC backfill), published to `rawohlc`
 * keyed by symbol. Natural key: (symbol, interval, intervalBegin). A reference beside the candles the
 * analytics job computes from trades.
 *
 *   {"v":1,"type":"ohlc","exchange":"kraken","symbol":"BTC/USD","interval":1,
 *    "intervalBegin":"2026-09-25T17:48:00.000000000Z","open":"83729.5","high":"83745.2","low":"83729.4",
 *    "close":"83744.3","vwap":"83736.4","volume":"0.21155628","trades":33,"final":false,
 *    "receivedAt":"2026-09-25T17:48:26.851000Z","source":"ws"}
 *
 * `final` is false while the candle is still forming (Kraken sends running updates).
 */
import { type Static, Type } from '@sinclair/typebox'
import { Decimal, MarketSymbol, Timestamp, codec, envelope } from './common.ts'

export const OhlcV1 = Type.Object({
  ...envelope('ohlc', 1),
  exchange: Type.Literal('kraken'),
  symbol: MarketSymbol,
  interval: Type.Integer({ minimum: 1, description: 'minutes' }),
  intervalBegin: Timestamp,
  open: Decimal,
  high: Decimal,
  low: Decimal,
  close: Decimal,
  vwap: Decimal,
  volume: Decimal,
  trades: Type.Integer({ minimum: 0 }),
  final: Type.Boolean(),
  receivedAt: Timestamp,
  source: Type.Union([Type.Literal('ws'), Type.Literal('rest')])
})

export type OhlcV1 = Static<typeof OhlcV1>
export const ohlcCodec = codec('ohlc', 1, OhlcV1)
