/**
 * Every trade the simulated market made, per symbol, bounded: what the fake REST `Trades` pages
 * through, what the `trade` snapshot (last 50) and the candles are built from, and what tests
 * compare Kafka against.
 */
import { divRound, fromScaled, toScaled } from './fixed.ts'
import type { Precision, SimTrade } from './market.ts'

export interface Candle {
  /** Interval start, epoch seconds. */
  begin: number
  open: string
  high: string
  low: string
  close: string
  vwap: string
  volume: string
  count: number
}

export class TradeHistory {
  readonly #trades = new Map<string, SimTrade[]>()
  readonly #max: number

  constructor(maxPerSymbol = 500_000) {
    this.#max = maxPerSymbol
  }

  append(symbol: string, trades: readonly SimTrade[]): void {
    let list = this.#trades.get(symbol)
    if (list === undefined) {
      list = []
      this.#trades.set(symbol, list)
    }
    list.push(...trades)
    if (list.length > this.#max * 1.1) list.splice(0, list.length - this.#max)
  }

  all(symbol: string): readonly SimTrade[] {
    return this.#trades.get(symbol) ?? []
  }

  last(symbol: string): SimTrade | undefined {
    return this.all(symbol).at(-1)
  }

  recent(symbol: string, count: number): readonly SimTrade[] {
    return this.all(symbol).slice(-count)
  }

  /**
   * Trades strictly after `sinceNs`, oldest first, about `count` (REST Trades semantics). A page
   * never splits fills sharing a timestamp: the next page starts after that time, so a split group
   * would lose its tail.
   */
  since(symbol: string, sinceNs: bigint, count: number): readonly SimTrade[] {
    const list = this.all(symbol)
    let low = 0
    let high = list.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((list[middle] as SimTrade).tsNs <= sinceNs) low = middle + 1
      else high = middle
    }
    let end = Math.min(list.length, low + count)
    while (end < list.length && end > low && list[end]?.tsNs === list[end - 1]?.tsNs) end++
    return list.slice(low, end)
  }

  /** Candles of `intervalS` seconds from the trades, oldest first; empty intervals are skipped. */
  candles(symbol: string, intervalS: number, precision: Precision, fromS = 0): Candle[] {
    const out: Candle[] = []
    let current: { begin: number; trades: SimTrade[] } | undefined
    const close = (): void => {
      if (current !== undefined) out.push(candleOf(current.begin, current.trades, precision))
    }
    for (const trade of this.since(symbol, BigInt(fromS) * 1_000_000_000n - 1n, Number.MAX_SAFE_INTEGER)) {
      const begin = Math.floor(Number(trade.tsNs / 1_000_000_000n) / intervalS) * intervalS
      if (current?.begin !== begin) {
        close()
        current = { begin, trades: [] }
      }
      current.trades.push(trade)
    }
    close()
    return out
  }
}

export function candleOf(begin: number, trades: readonly SimTrade[], precision: Precision): Candle {
  const p = precision.price
  const q = precision.qty
  let high = -1n
  let low = -1n
  let volume = 0n
  let notional = 0n
  for (const trade of trades) {
    const price = toScaled(trade.price, p)
    const qty = toScaled(trade.qty, q)
    if (high < 0n || price > high) high = price
    if (low < 0n || price < low) low = price
    volume += qty
    notional += price * qty
  }
  const first = trades[0]
  const last = trades.at(-1)
  return {
    begin,
    open: first === undefined ? '0' : fromScaled(toScaled(first.price, p), p),
    high: fromScaled(high, p),
    low: fromScaled(low, p),
    close: last === undefined ? '0' : fromScaled(toScaled(last.price, p), p),
    vwap: volume === 0n ? fromScaled(0n, p) : fromScaled(divRound(notional, volume), p),
    volume: fromScaled(volume, q),
    count: trades.length
  }
}
