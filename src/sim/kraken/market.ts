/**
 * What the fake Kraken server serves, whatever produces it (the synthetic generator or a recorded
 * session): per-symbol trade history, the latest ticker, a book, and a stream of events telling
 * the server what changed. Lexemes throughout, as on the wire.
 */
import type { SimBook } from './sim-book.ts'
import type { Candle, TradeHistory } from './trade-history.ts'

export interface SimTrade {
  readonly id: number
  readonly price: string
  readonly qty: string
  readonly side: 'buy' | 'sell'
  readonly ordType: 'market' | 'limit'
  /** Exchange time, epoch ns, and its RFC 3339 text (µs, as Kraken's v2 trade channel). */
  readonly tsNs: bigint
  readonly ts: string
}

/** Ticker fields as wire lexemes (names as in Kraken's v2 ticker). */
export interface SimTicker {
  readonly bid: string
  readonly bid_qty: string
  readonly ask: string
  readonly ask_qty: string
  readonly last: string
  readonly volume: string
  readonly vwap: string
  readonly low: string
  readonly high: string
  readonly change: string
  readonly change_pct: string
  readonly timestamp: string
}

export interface Precision {
  readonly price: number
  readonly qty: number
}

export type MarketEvent =
  | { kind: 'trades'; symbol: string; trades: readonly SimTrade[]; raw?: string }
  | { kind: 'ticker'; symbol: string; raw?: string }
  /** The book changed; a recorded update carries its raw frame (forwarded verbatim). */
  | { kind: 'book'; symbol: string; raw?: string }
  | { kind: 'ohlc'; symbol: string; raw?: string }

export type MarketListener = (event: MarketEvent) => void

export interface MarketSource {
  readonly symbols: readonly string[]
  readonly history: TradeHistory
  /** Book depth a recorded session was captured at (its raw updates assume it); synthetic: undefined. */
  readonly recordedBookDepth: number | undefined
  precision(symbol: string): Precision
  /**
   * Candles of `intervalS` seconds from `fromS` on for the time before the trade history starts
   * (candle-history.ts), which REST OHLC serves beside the candles of the trades; none if absent.
   */
  olderCandles?(symbol: string, intervalS: number, fromS: number): readonly Candle[]
  ticker(symbol: string): SimTicker | undefined
  book(symbol: string): SimBook | undefined
  listen(listener: MarketListener): () => void
  start(): void
  stop(): void
}

/** Fan-out helper the sources share. */
export class Listeners {
  readonly #listeners = new Set<MarketListener>()

  add(listener: MarketListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: MarketEvent): void {
    for (const listener of this.#listeners) listener(event)
  }
}
