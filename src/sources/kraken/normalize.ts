/**
 * Kraken's wire shapes (WebSocket v2 elements, REST rows) to our message schemas. Pure functions:
 * decimals stay the exchange's lexemes, exchange timestamps stay verbatim (µs for trades and
 * tickers, ns for candles), and anything missing or mistyped throws MALFORMED_INPUT so the caller
 * counts and skips that one element.
 */
import type { OhlcV1, TickerV1, TradeV1 } from '../../schemas/index.ts'
import {
  type Json,
  asArray,
  asDecimal,
  asInteger,
  asObject,
  asString,
  epochSecondsToRfc3339,
  malformed,
  optionalString
} from './wire.ts'

function side(value: string): TradeV1['side'] {
  if (value === 'buy' || value === 'b') return 'buy'
  if (value === 'sell' || value === 's') return 'sell'
  throw malformed(`unknown trade side ${JSON.stringify(value)}`)
}

function ordType(value: string): TradeV1['ordType'] {
  if (value === 'market' || value === 'm') return 'market'
  if (value === 'limit' || value === 'l') return 'limit'
  throw malformed(`unknown order type ${JSON.stringify(value)}`)
}

export function tradeFromWs(element: Json, receivedAt: string): TradeV1 {
  const t = asObject(element, 'trade')
  return {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol: asString(t.symbol, 'trade.symbol').toUpperCase(),
    tradeId: asInteger(t.trade_id, 'trade.trade_id'),
    price: asDecimal(t.price, 'trade.price'),
    qty: asDecimal(t.qty, 'trade.qty'),
    side: side(asString(t.side, 'trade.side')),
    ordType: ordType(asString(t.ord_type, 'trade.ord_type')),
    exchangeTs: asString(t.timestamp, 'trade.timestamp'),
    receivedAt,
    source: 'ws'
  }
}

export function tickerFromWs(element: Json, receivedAt: string): TickerV1 {
  const t = asObject(element, 'ticker')
  const d = (name: string): string => asDecimal(t[name], `ticker.${name}`)
  return {
    v: 1,
    type: 'ticker',
    exchange: 'kraken',
    symbol: asString(t.symbol, 'ticker.symbol').toUpperCase(),
    bid: d('bid'),
    bidQty: d('bid_qty'),
    ask: d('ask'),
    askQty: d('ask_qty'),
    last: d('last'),
    volume: d('volume'),
    vwap: d('vwap'),
    low: d('low'),
    high: d('high'),
    change: d('change'),
    changePct: d('change_pct'),
    // Older wire versions had no timestamp on tickers; the schema says null rather than inventing one.
    exchangeTs: optionalString(t.timestamp) ?? null,
    receivedAt
  }
}

/** A WS candle; `final` is decided by the caller (a later interval_begin closes a candle). */
export function ohlcFromWs(element: Json, receivedAt: string, final: boolean): OhlcV1 {
  const c = asObject(element, 'ohlc')
  const d = (name: string): string => asDecimal(c[name], `ohlc.${name}`)
  return {
    v: 1,
    type: 'ohlc',
    exchange: 'kraken',
    symbol: asString(c.symbol, 'ohlc.symbol').toUpperCase(),
    interval: asInteger(c.interval, 'ohlc.interval'),
    intervalBegin: asString(c.interval_begin, 'ohlc.interval_begin'),
    open: d('open'),
    high: d('high'),
    low: d('low'),
    close: d('close'),
    vwap: d('vwap'),
    volume: d('volume'),
    trades: asInteger(c.trades, 'ohlc.trades'),
    final,
    receivedAt,
    source: 'ws'
  }
}

/** REST Trades row: [price, volume, time, "b"|"s", "m"|"l", misc, trade_id]. */
export function tradeFromRest(row: Json, symbol: string, receivedAt: string): TradeV1 {
  const r = asArray(row, 'Trades row')
  if (r.length < 7) throw malformed(`Trades row has ${r.length} fields, expected 7`)
  return {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId: asInteger(r[6], 'Trades row trade_id'),
    price: asDecimal(r[0], 'Trades row price'),
    qty: asDecimal(r[1], 'Trades row volume'),
    side: side(asString(r[3], 'Trades row side')),
    ordType: ordType(asString(r[4], 'Trades row order type')),
    exchangeTs: epochSecondsToRfc3339(asString(r[2], 'Trades row time')),
    receivedAt,
    source: 'rest'
  }
}

/** REST OHLC row: [time, open, high, low, close, vwap, volume, count]. */
export function ohlcFromRest(
  row: Json,
  symbol: string,
  interval: number,
  options: { receivedAt: string; final: boolean }
): OhlcV1 {
  const r = asArray(row, 'OHLC row')
  if (r.length < 8) throw malformed(`OHLC row has ${r.length} fields, expected 8`)
  const d = (index: number, name: string): string => asDecimal(r[index], `OHLC row ${name}`)
  const begin = new Date(asInteger(r[0], 'OHLC row time') * 1000).toISOString().slice(0, 19)
  return {
    v: 1,
    type: 'ohlc',
    exchange: 'kraken',
    symbol,
    interval,
    intervalBegin: `${begin}.000000000Z`,
    open: d(1, 'open'),
    high: d(2, 'high'),
    low: d(3, 'low'),
    close: d(4, 'close'),
    vwap: d(5, 'vwap'),
    volume: d(6, 'volume'),
    trades: asInteger(r[7], 'OHLC row count'),
    final: options.final,
    receivedAt: options.receivedAt,
    source: 'rest'
  }
}
