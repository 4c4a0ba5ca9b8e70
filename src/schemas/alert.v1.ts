/**
 * An alert raised by an analytics rule, published to `rawalert` keyed by symbol and stored by the
 * ingest job. Natural key: `id`, derived from (rule, symbol, the event-time window that fired), so a
 * re-run or a rebalance that fires the same alert again produces the same id.
 *
 *   {"v":1,"type":"alert","id":"price_move:BTC/USD:2026-11-25T14:05:00Z","rule":"price_move_5m",
 *    "kind":"price_move","symbol":"BTC/USD","severity":"warning","title":"BTC/USD +3.2 % in 5 min",
 *    "message":"Price rose from 91000.0 to 93912.0 (+3.2 %) between 14:00 and 14:05 UTC (threshold 3 %).",
 *    "value":3.2,"threshold":3,"eventTs":"2026-11-25T14:05:00.000000Z",
 *    "raisedAt":"2026-11-25T14:05:00.412000Z","details":{"from":"91000.0","to":"93912.0"}}
 *
 * `symbol` is a market symbol, a coin code for news rules, or "*" for the whole market.
 */
import { type Static, Type } from '@sinclair/typebox'
import { Timestamp, codec, envelope } from './common.ts'
import { Severities } from '../contract/vocabulary.ts'

export const AlertKind = Type.Union([
  Type.Literal('price_move'),
  Type.Literal('volume_spike'),
  Type.Literal('spread_widening'),
  Type.Literal('sentiment_swing'),
  Type.Literal('whale_trade')
])

export const AlertV1 = Type.Object({
  ...envelope('alert', 1),
  id: Type.String({ minLength: 1, maxLength: 300 }),
  rule: Type.String({ minLength: 1, maxLength: 100 }),
  kind: AlertKind,
  symbol: Type.String({ minLength: 1, maxLength: 40 }),
  severity: Type.Union(Severities.map(severity => Type.Literal(severity))),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  message: Type.String({ maxLength: 2000 }),
  value: Type.Number(),
  threshold: Type.Number(),
  eventTs: Timestamp,
  raisedAt: Timestamp,
  details: Type.Record(Type.String(), Type.Unknown())
})

export type AlertV1 = Static<typeof AlertV1>
export type AlertKind = Static<typeof AlertKind>
export const alertCodec = codec('alert', 1, AlertV1)
