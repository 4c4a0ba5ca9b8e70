/**
 * The frames the fake server sends, built from market state with wire lexemes (see lexeme-json.ts).
 * Shapes follow Kraken's v2 documentation and recorded frames.
 */
import { lex, writeJson } from './lexeme-json.ts'
import type { SimTicker, SimTrade } from './market.ts'
import type { BookView } from './sim-book.ts'
import type { Candle } from './trade-history.ts'

export function nowRfc3339(): string {
  const now = performance.timeOrigin + performance.now()
  const micros = Math.floor((now % 1000) * 1000)
  return new Date(Math.floor(now)).toISOString().replace(/\.\d{3}Z$/, `.${String(micros).padStart(6, '0')}Z`)
}

export function statusFrame(system: string, connectionId: string): string {
  return writeJson({
    channel: 'status',
    type: 'update',
    data: [
      {
        version: '2.0.10',
        system,
        api_version: 'v2',
        connection_id: lex(connectionId),
        upcoming_maintenance: [],
        emergency: []
      }
    ]
  })
}

export function tradeFrame(symbol: string, type: 'snapshot' | 'update', trades: readonly SimTrade[]): string {
  return writeJson({
    channel: 'trade',
    type,
    data: trades.map(t => ({
      symbol,
      side: t.side,
      price: lex(t.price),
      qty: lex(t.qty),
      ord_type: t.ordType,
      trade_id: lex(String(t.id)),
      timestamp: t.ts
    }))
  })
}

export function tickerFrame(symbol: string, type: 'snapshot' | 'update', t: SimTicker): string {
  return writeJson({
    channel: 'ticker',
    type,
    data: [
      {
        symbol,
        bid: lex(t.bid),
        bid_qty: lex(t.bid_qty),
        ask: lex(t.ask),
        ask_qty: lex(t.ask_qty),
        last: lex(t.last),
        volume: lex(t.volume),
        vwap: lex(t.vwap),
        low: lex(t.low),
        high: lex(t.high),
        change: lex(t.change),
        change_pct: lex(t.change_pct),
        timestamp: t.timestamp
      }
    ]
  })
}

export function bookFrame(
  symbol: string,
  type: 'snapshot' | 'update',
  view: BookView,
  checksum: number,
  timestamp: string
): string {
  const levels = (side: BookView['bids']) =>
    side.map(level => ({ price: lex(level.price), qty: lex(level.qty) }))
  return writeJson({
    channel: 'book',
    type,
    data: [
      { symbol, bids: levels(view.bids), asks: levels(view.asks), checksum: lex(String(checksum)), timestamp }
    ]
  })
}

export function ohlcFrame(
  symbol: string,
  type: 'snapshot' | 'update',
  interval: number,
  candles: readonly Candle[]
): string {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19)
  return writeJson({
    channel: 'ohlc',
    type,
    timestamp: `${nowRfc3339().slice(0, -1)}000Z`,
    data: candles.map(c => ({
      symbol,
      open: lex(c.open),
      high: lex(c.high),
      low: lex(c.low),
      close: lex(c.close),
      trades: lex(String(c.count)),
      volume: lex(c.volume),
      vwap: lex(c.vwap),
      interval_begin: `${iso(c.begin)}.000000000Z`,
      interval: lex(String(interval)),
      timestamp: `${iso(c.begin + interval * 60)}.000000Z`
    }))
  })
}

export function ackFrame(options: {
  method: 'subscribe' | 'unsubscribe'
  reqId: number | undefined
  timeIn: string
  result?: Record<string, unknown>
  error?: string
  symbol?: string
}): string {
  const success = options.error === undefined
  return writeJson({
    method: options.method,
    ...(success ? { result: options.result } : { error: options.error, symbol: options.symbol }),
    success,
    time_in: options.timeIn,
    time_out: nowRfc3339(),
    ...(options.reqId === undefined ? {} : { req_id: lex(String(options.reqId)) })
  })
}
