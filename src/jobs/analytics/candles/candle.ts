/**
 * One OHLCV candle and how a trade changes it, in exact decimals. Trades may arrive in any order:
 * the open is the trade with the lowest id in the bucket and the close the one with the highest
 * (Kraken's trade ids are its per-pair matching sequence, so id order is time order, and ties in
 * time are broken the way the exchange broke them). That makes a candle fully described by its
 * stored row, so it can be rebuilt from the database and keep absorbing late trades.
 */
import {
  type Decimal,
  ZERO,
  add,
  compare,
  divide,
  formatDecimal,
  multiply,
  parseDecimal,
  subtract
} from '../../../lib/decimal.ts'
import { microsToIso } from '../../../lib/event-time.ts'
import type { CandleRow } from '../../../store/writers/candles.ts'
import type { IntervalName } from './intervals.ts'

export interface CandleTrade {
  readonly tradeId: number
  /** Event (exchange) time, µs since the epoch. */
  readonly ts: number
  readonly price: Decimal
  readonly qty: Decimal
  readonly side: 'buy' | 'sell'
  /** price × qty, when the caller computed it already. */
  readonly notional?: Decimal
}

export interface Candle {
  readonly symbol: string
  readonly interval: IntervalName
  /** Start of the bucket, µs since the epoch. */
  readonly bucket: number
  open: Decimal
  high: Decimal
  low: Decimal
  close: Decimal
  volume: Decimal
  quoteVolume: Decimal
  buyVolume: Decimal
  sellVolume: Decimal
  /**
   * Taker-buy trades and Σ price × qty of taker buys (pressure); null for a candle stored before
   * these were kept, which a later trade cannot complete.
   */
  buyTrades: number | null
  buyQuoteVolume: Decimal | null
  trades: number
  firstTradeId: number
  lastTradeId: number
}

/** Decimals VWAP keeps beyond the price's own: enough to apply any venue's rounding afterwards. */
export const VWAP_EXTRA_DECIMALS = 6

export function openCandle(
  symbol: string,
  interval: IntervalName,
  bucket: number,
  trade: CandleTrade,
  notional: Decimal = multiply(trade.price, trade.qty)
): Candle {
  return {
    symbol,
    interval,
    bucket,
    open: trade.price,
    high: trade.price,
    low: trade.price,
    close: trade.price,
    volume: trade.qty,
    quoteVolume: notional,
    buyVolume: trade.side === 'buy' ? trade.qty : ZERO,
    sellVolume: trade.side === 'sell' ? trade.qty : ZERO,
    buyTrades: trade.side === 'buy' ? 1 : 0,
    buyQuoteVolume: trade.side === 'buy' ? notional : ZERO,
    trades: 1,
    firstTradeId: trade.tradeId,
    lastTradeId: trade.tradeId
  }
}

/** applyTrade's answer: which extremes the trade set (a tie in value leaves the earlier one). */
export const NEW_HIGH = 1
export const NEW_LOW = 2

/**
 * Adds a trade to the candle of its bucket (the caller checked the bucket and deduplicated);
 * `notional` is price × qty, when the caller has it already. Returns NEW_HIGH | NEW_LOW as set.
 */
export function applyTrade(
  candle: Candle,
  trade: CandleTrade,
  notional: Decimal = multiply(trade.price, trade.qty)
): number {
  let extremes = 0
  if (compare(trade.price, candle.high) > 0) {
    candle.high = trade.price
    extremes |= NEW_HIGH
  }
  if (compare(trade.price, candle.low) < 0) {
    candle.low = trade.price
    extremes |= NEW_LOW
  }
  if (trade.tradeId < candle.firstTradeId) {
    candle.firstTradeId = trade.tradeId
    candle.open = trade.price
  }
  if (trade.tradeId > candle.lastTradeId) {
    candle.lastTradeId = trade.tradeId
    candle.close = trade.price
  }
  candle.volume = add(candle.volume, trade.qty)
  candle.quoteVolume = add(candle.quoteVolume, notional)
  if (trade.side === 'buy') {
    candle.buyVolume = add(candle.buyVolume, trade.qty)
    if (candle.buyTrades !== null) candle.buyTrades++
    if (candle.buyQuoteVolume !== null) candle.buyQuoteVolume = add(candle.buyQuoteVolume, notional)
  } else candle.sellVolume = add(candle.sellVolume, trade.qty)
  candle.trades++
  return extremes
}

/**
 * Adds the trades summed in `part` (a candle of some of the trades of `candle`'s bucket, none of
 * them counted in `candle` yet) to `candle`: the same candle as adding them one by one, since every
 * field is an extreme, a sum or a count. `takeTies` says which side wins a tie in high and low value
 * (the one whose trade came first, as applyTrade keeps the earlier one; the lexemes may differ in
 * scale). Returns NEW_HIGH | NEW_LOW as taken from `part`.
 */
export function mergeCandle(candle: Candle, part: Candle, takeTies: { high: boolean; low: boolean }): number {
  let extremes = 0
  const high = compare(part.high, candle.high)
  if (high > 0 || (high === 0 && takeTies.high)) {
    candle.high = part.high
    extremes |= NEW_HIGH
  }
  const low = compare(part.low, candle.low)
  if (low < 0 || (low === 0 && takeTies.low)) {
    candle.low = part.low
    extremes |= NEW_LOW
  }
  if (part.firstTradeId < candle.firstTradeId) {
    candle.firstTradeId = part.firstTradeId
    candle.open = part.open
  }
  if (part.lastTradeId > candle.lastTradeId) {
    candle.lastTradeId = part.lastTradeId
    candle.close = part.close
  }
  candle.volume = add(candle.volume, part.volume)
  candle.quoteVolume = add(candle.quoteVolume, part.quoteVolume)
  candle.buyVolume = add(candle.buyVolume, part.buyVolume)
  candle.sellVolume = add(candle.sellVolume, part.sellVolume)
  if (candle.buyTrades !== null && part.buyTrades !== null) candle.buyTrades += part.buyTrades
  if (candle.buyQuoteVolume !== null && part.buyQuoteVolume !== null)
    candle.buyQuoteVolume = add(candle.buyQuoteVolume, part.buyQuoteVolume)
  candle.trades += part.trades
  return extremes
}

/** Decimals of the stored imbalance (a ratio in [−1, 1]; exact volumes are stored beside it). */
export const IMBALANCE_DECIMALS = 12

/** (buy − sell) / (buy + sell) of the base volume, rounded half-even; 0 for an empty candle. */
export function imbalanceOf(candle: Candle): Decimal {
  const total = add(candle.buyVolume, candle.sellVolume)
  if (compare(total, ZERO) <= 0) return ZERO
  return divide(subtract(candle.buyVolume, candle.sellVolume), total, IMBALANCE_DECIMALS, 'half-even')
}

/** quote_volume / volume, truncated at the price's decimals + VWAP_EXTRA_DECIMALS. */
export function vwapOf(candle: Candle): Decimal {
  const priceScale = Math.max(candle.open.scale, candle.high.scale, candle.low.scale, candle.close.scale)
  return divide(candle.quoteVolume, candle.volume, priceScale + VWAP_EXTRA_DECIMALS, 'truncate')
}

export function candleToRow(candle: Candle): CandleRow {
  return {
    symbol: candle.symbol,
    interval: candle.interval,
    bucket: microsToIso(candle.bucket),
    open: formatDecimal(candle.open),
    high: formatDecimal(candle.high),
    low: formatDecimal(candle.low),
    close: formatDecimal(candle.close),
    volume: formatDecimal(candle.volume),
    quoteVolume: formatDecimal(candle.quoteVolume),
    vwap: formatDecimal(vwapOf(candle)),
    trades: candle.trades,
    buyVolume: formatDecimal(candle.buyVolume),
    sellVolume: formatDecimal(candle.sellVolume),
    buyTrades: candle.buyTrades,
    buyQuoteVolume: candle.buyQuoteVolume === null ? null : formatDecimal(candle.buyQuoteVolume),
    imbalance: formatDecimal(imbalanceOf(candle)),
    firstTradeId: candle.firstTradeId,
    lastTradeId: candle.lastTradeId
  }
}

export function candleFromRow(row: CandleRow, bucketMicros: number): Candle {
  return {
    symbol: row.symbol,
    interval: row.interval as IntervalName,
    bucket: bucketMicros,
    open: parseDecimal(row.open),
    high: parseDecimal(row.high),
    low: parseDecimal(row.low),
    close: parseDecimal(row.close),
    volume: parseDecimal(row.volume),
    quoteVolume: parseDecimal(row.quoteVolume),
    buyVolume: parseDecimal(row.buyVolume),
    sellVolume: parseDecimal(row.sellVolume),
    buyTrades: row.buyTrades,
    buyQuoteVolume: row.buyQuoteVolume === null ? null : parseDecimal(row.buyQuoteVolume),
    trades: row.trades,
    firstTradeId: row.firstTradeId,
    lastTradeId: row.lastTradeId
  }
}
