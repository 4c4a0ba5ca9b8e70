/**
 * A synthetic market for every requested pair: a geometric random walk for the mid price, trades
 * arriving as a Poisson process with occasional bursts (a busy minute: ten times the rate and a
 * drift), log-normal trade sizes, market orders that sweep several levels in one message, strictly
 * increasing trade ids, a churning order book around the mid, and a ticker updated on each trade.
 * Runs on its own timer (`start`) at `speed` times the normal activity, or step by step
 * (`emitTrades`, `tick`) for tests and benchmarks. History before now: `historyMinutes` of trades,
 * and before those `olderHistoryDays` of candles only (candle-history.ts), for REST OHLC.
 */
import { nowMicros } from '../../lib/time.ts'
import { CandleHistory } from './candle-history.ts'
import { formatFixed } from './fixed.ts'
import {
  Listeners,
  type MarketListener,
  type MarketSource,
  type Precision,
  type SimTicker,
  type SimTrade
} from './market.ts'
import { type PairProfile, gaussian, profileOf, seededRandom } from './profiles.ts'
import { SimBook } from './sim-book.ts'
import { type Candle, TradeHistory } from './trade-history.ts'

export interface SyntheticMarketOptions {
  symbols: readonly string[]
  /** Activity multiplier (trade rate, book churn); 1 is a normal day. */
  speed?: number
  seed?: number
  /** Timer period when running by itself (default 100 ms). */
  tickMs?: number
  /** Pre-generated history (for REST OHLC/Trades and backfill demos): minutes before now. */
  historyMinutes?: number
  /**
   * Days of older history, as candles only, before the trades of `historyMinutes` (REST OHLC serves
   * them: candle-history.ts). With `startMids`, that history starts at those prices.
   */
  olderHistoryDays?: number
  /**
   * Trades kept per symbol for REST `Trades`, snapshots and recent candles (default 500,000); the
   * oldest go first. A long replay keeps memory flat with a smaller bound.
   */
  maxTradesPerSymbol?: number
  /** Added to every trade id (a later replay run continues past an earlier one's ids). */
  idOffset?: number
  /** Mid prices to start from instead of the profiles' (where a previous run stopped). */
  startMids?: Readonly<Record<string, number>>
}

interface PairState {
  profile: PairProfile
  mid: number
  nextId: number
  lastTsNs: bigint
  burstUntil: number
  drift: number
  book: SimBook
  open24: number
  volume24: number
  notional24: number
  low24: number
  high24: number
  ticker: SimTicker | undefined
}

const BOOK_LEVELS = 60

export class SyntheticMarket implements MarketSource {
  readonly symbols: readonly string[]
  readonly history: TradeHistory
  readonly recordedBookDepth = undefined
  readonly #speed: number
  readonly #tickMs: number
  readonly #random: () => number
  readonly #pairs = new Map<string, PairState>()
  readonly #older = new Map<string, CandleHistory>()
  readonly #listeners = new Listeners()
  #timer: NodeJS.Timeout | undefined
  #lastTick = 0

  constructor(options: SyntheticMarketOptions) {
    this.symbols = options.symbols
    this.history = new TradeHistory(options.maxTradesPerSymbol)
    this.#speed = options.speed ?? 1
    this.#tickMs = options.tickMs ?? 100
    this.#random = seededRandom(options.seed ?? 20_251_125)
    for (const [index, symbol] of options.symbols.entries()) {
      const profile = profileOf(symbol)
      const state: PairState = {
        profile,
        mid: validMid(options.startMids?.[symbol]) ?? profile.price,
        nextId:
          (options.idOffset ?? 0) + 40_000_000 + index * 7_000_000 + Math.floor(this.#random() * 1_000_000),
        lastTsNs: 0n,
        burstUntil: 0,
        drift: 0,
        book: new SimBook(),
        open24: profile.price * (1 + gaussian(this.#random) * profile.dailyVolatility),
        volume24: profile.tradesPerSecond * 86_400 * profile.typicalQty * 0.6,
        notional24: 0,
        low24: profile.price * (1 - profile.dailyVolatility),
        high24: profile.price * (1 + profile.dailyVolatility),
        ticker: undefined
      }
      state.notional24 = (state.volume24 * (state.open24 + profile.price)) / 2
      this.#pairs.set(symbol, state)
      const endS = Date.now() / 1000 - (options.historyMinutes ?? 0) * 60
      if (options.olderHistoryDays !== undefined && options.olderHistoryDays > 0) {
        const start = validMid(options.startMids?.[symbol])
        this.#older.set(
          symbol,
          new CandleHistory({
            profile,
            endS,
            endPrice: state.mid,
            fromS: endS - options.olderHistoryDays * 86_400,
            ...(start === undefined ? {} : { startPrice: start }),
            // Its own generator: the trades of a seed stay the same with or without older history.
            random: seededRandom((options.seed ?? 20_251_125) + 7_919 * (index + 1))
          })
        )
      }
      if (options.historyMinutes !== undefined && options.historyMinutes > 0)
        this.#prefill(symbol, state, options.historyMinutes)
      this.#churnBook(state, true)
      this.#updateTicker(
        state,
        formatFixed(state.mid, profile.pricePrecision),
        rfc3339Micros(this.#now(state))
      )
    }
  }

  /** The current mid price of every pair (saved so a later run continues from it). */
  mids(): Record<string, number> {
    return Object.fromEntries([...this.#pairs].map(([symbol, state]) => [symbol, state.mid]))
  }

  precision(symbol: string): Precision {
    const profile = this.#pairs.get(symbol)?.profile ?? profileOf(symbol)
    return { price: profile.pricePrecision, qty: profile.qtyPrecision }
  }

  olderCandles(symbol: string, intervalS: number, fromS: number): readonly Candle[] {
    return this.#older.get(symbol)?.candles(intervalS, this.precision(symbol), fromS) ?? []
  }

  ticker(symbol: string): SimTicker | undefined {
    return this.#pairs.get(symbol)?.ticker
  }

  book(symbol: string): SimBook | undefined {
    return this.#pairs.get(symbol)?.book
  }

  listen(listener: MarketListener): () => void {
    return this.#listeners.add(listener)
  }

  start(): void {
    if (this.#timer !== undefined) return
    this.#lastTick = performance.now()
    this.#timer = setInterval(() => {
      const now = performance.now()
      this.tick(((now - this.#lastTick) / 1000) * this.#speed)
      this.#lastTick = now
    }, this.#tickMs)
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Advances every pair by `seconds` of market time (already scaled by speed). */
  tick(seconds: number): void {
    for (const [symbol, state] of this.#pairs) {
      const bursting = state.burstUntil > performance.now()
      if (!bursting && this.#random() < seconds / 600) {
        // About one busy spell per ten minutes of market time: 10× activity and a directional drift.
        state.burstUntil = performance.now() + (20_000 + this.#random() * 40_000) / this.#speed
        state.drift = gaussian(this.#random) * state.profile.dailyVolatility * 0.02
      }
      const rate = state.profile.tradesPerSecond * (bursting ? 10 : 1)
      this.#walk(state, seconds, bursting ? state.drift : 0)
      const orders = poisson(rate * seconds, this.#random)
      if (orders > 0) this.emitTrades(symbol, orders)
      else if (this.#random() < Math.min(1, seconds * 2)) {
        this.#churnBook(state, false)
        this.#listeners.emit({ kind: 'book', symbol })
      }
    }
  }

  /** `orders` taker orders on `symbol` now, each one trade message (sweeps give several fills). */
  emitTrades(symbol: string, orders: number): SimTrade[] {
    const state = this.#pairs.get(symbol)
    if (state === undefined) throw new Error(`unknown symbol ${symbol}`)
    const all: SimTrade[] = []
    for (let order = 0; order < orders; order++) {
      const trades = this.#order(state, this.#now(state))
      this.history.append(symbol, trades)
      all.push(...trades)
      const last = trades.at(-1)
      if (last !== undefined) this.#updateTicker(state, last.price, last.ts, trades)
      this.#churnBook(state, false)
      this.#listeners.emit({ kind: 'trades', symbol, trades })
      this.#listeners.emit({ kind: 'ticker', symbol })
      this.#listeners.emit({ kind: 'book', symbol })
      this.#listeners.emit({ kind: 'ohlc', symbol })
    }
    return all
  }

  #order(state: PairState, tsNs: bigint): SimTrade[] {
    const { profile } = state
    const side = this.#random() < 0.5 + state.drift * 10 ? 'buy' : 'sell'
    const market = this.#random() < 0.6
    const fills = market && this.#random() < 0.25 ? 2 + Math.floor(this.#random() * 4) : 1
    const tick = 10 ** -profile.pricePrecision
    const halfSpread = Math.max(tick, state.mid * 0.00001)
    const ts = rfc3339Micros(tsNs)
    const trades: SimTrade[] = []
    for (let fill = 0; fill < fills; fill++) {
      const offset = halfSpread + fill * tick * (1 + Math.floor(this.#random() * 3))
      const price = side === 'buy' ? state.mid + offset : state.mid - offset
      const size = (profile.typicalQty * Math.exp(gaussian(this.#random) * 1.1)) / fills
      const minQty = 10 ** -profile.qtyPrecision
      trades.push({
        id: state.nextId++,
        price: formatFixed(Math.max(tick, price), profile.pricePrecision),
        qty: formatFixed(Math.max(minQty, size), profile.qtyPrecision),
        side,
        ordType: market ? 'market' : 'limit',
        tsNs,
        ts
      })
    }
    return trades
  }

  #walk(state: PairState, seconds: number, drift: number): void {
    const sigma = state.profile.dailyVolatility * Math.sqrt(Math.max(0, seconds) / 86_400)
    state.mid *= Math.exp(sigma * gaussian(this.#random) + (drift * seconds) / 60)
  }

  #now(state: PairState): bigint {
    let ns = nowMicros() * 1000n
    if (ns <= state.lastTsNs) ns = state.lastTsNs + 1000n
    state.lastTsNs = ns
    return ns
  }

  #updateTicker(state: PairState, last: string, timestamp: string, trades: readonly SimTrade[] = []): void {
    const { profile } = state
    for (const trade of trades) {
      const qty = Number(trade.qty)
      state.volume24 += qty
      state.notional24 += qty * Number(trade.price)
    }
    const price = Number(last)
    state.low24 = Math.min(state.low24, price)
    state.high24 = Math.max(state.high24, price)
    const bid = state.book.bestBid()
    const ask = state.book.bestAsk()
    const p = profile.pricePrecision
    const change = price - state.open24
    state.ticker = {
      bid: bid?.price ?? formatFixed(price, p),
      bid_qty: bid?.qty ?? formatFixed(profile.typicalQty, profile.qtyPrecision),
      ask: ask?.price ?? formatFixed(price, p),
      ask_qty: ask?.qty ?? formatFixed(profile.typicalQty, profile.qtyPrecision),
      last: formatFixed(price, p),
      volume: formatFixed(state.volume24, profile.qtyPrecision),
      vwap: formatFixed(state.notional24 / state.volume24, p),
      low: formatFixed(state.low24, p),
      high: formatFixed(state.high24, p),
      change: formatFixed(change, p),
      change_pct: formatFixed((change / state.open24) * 100, 2),
      timestamp
    }
  }

  /** Re-centres the book on the mid and changes a few sizes, as market makers requote. */
  #churnBook(state: PairState, rebuild: boolean): void {
    const { profile, book } = state
    const tick = 10 ** -profile.pricePrecision
    const halfSpread = Math.max(tick, state.mid * 0.00001)
    const step = Math.max(tick, state.mid * 0.00002)
    const qty = (): string =>
      formatFixed(profile.typicalQty * Math.exp(gaussian(this.#random)) * 3, profile.qtyPrecision)
    if (rebuild) book.clear()
    const bestBid = Number(formatFixed(state.mid - halfSpread, profile.pricePrecision))
    const bestAsk = Number(formatFixed(state.mid + halfSpread, profile.pricePrecision))
    const current = book.view(BOOK_LEVELS * 2)
    for (const level of current.bids)
      if (Number(level.price) >= bestAsk || Number(level.price) < bestBid - step * BOOK_LEVELS * 1.5)
        book.set('bid', level.price, '0')
    for (const level of current.asks)
      if (Number(level.price) <= bestBid || Number(level.price) > bestAsk + step * BOOK_LEVELS * 1.5)
        book.set('ask', level.price, '0')
    const changes = rebuild ? BOOK_LEVELS : 1 + Math.floor(this.#random() * 3)
    for (let i = 0; i < changes; i++) {
      const level = rebuild ? i : Math.floor(Math.abs(gaussian(this.#random)) * 6)
      book.set('bid', formatFixed(bestBid - level * step, profile.pricePrecision), qty())
      book.set('ask', formatFixed(bestAsk + level * step, profile.pricePrecision), qty())
    }
  }

  #prefill(symbol: string, state: PairState, minutes: number): void {
    const perMinute = Math.max(2, Math.round(state.profile.tradesPerSecond * 6))
    const startNs = (nowMicros() - BigInt(Math.round(minutes * 60_000_000))) * 1000n
    const stepNs = 60_000_000_000n / BigInt(perMinute)
    for (let i = 0; i < Math.floor(minutes * perMinute); i++) {
      this.#walk(state, 60 / perMinute, 0)
      const tsNs = startNs + BigInt(i) * stepNs + BigInt(Math.floor(this.#random() * 1000)) * 1000n
      this.history.append(symbol, this.#order(state, tsNs))
      state.lastTsNs = tsNs
    }
  }
}

function validMid(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined
}

function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0
  const limit = Math.exp(-Math.min(mean, 50))
  let count = 0
  for (let product = random(); product > limit; product *= random()) count++
  return count
}

export function rfc3339Micros(ns: bigint): string {
  const micros = ns / 1000n
  const seconds = micros / 1_000_000n
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0')
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`
}
