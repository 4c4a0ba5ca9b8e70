/**
 * One market on the overview: price, 24h change, 24h volume, high/low, a sparkline of the last day
 * and how fresh the price is. Fed by tickers when live; by the day's 15-minute candles when there is
 * no ticker (a replay, or a market without one), so a tile always says something true for its moment.
 */
import type { Candle, Ticker } from '../data/types.ts'
import { flash, h, setText } from '../lib/dom.ts'
import { formatAgo, formatCompact, formatDecimal, formatPercent, formatPrice } from '../lib/format.ts'
import { intervalMs, toMs } from '../lib/time.ts'
import { Sparkline } from './sparkline.ts'

const DAY_MS = 86_400_000
const SPARK = '15m'

export interface DayStats {
  last: string
  changePct: number
  volume: number
  high: number
  low: number
  at: number
}

/** The 24h figures from the day's candles (oldest first). */
export function statsFromCandles(candles: readonly Candle[]): DayStats | undefined {
  const first = candles[0]
  const last = candles[candles.length - 1]
  if (first === undefined || last === undefined) return undefined
  const open = Number(first.open)
  return {
    last: last.close,
    changePct: open === 0 ? 0 : ((Number(last.close) - open) / open) * 100,
    volume: candles.reduce((sum, c) => sum + Number(c.volume), 0),
    high: Math.max(...candles.map(c => Number(c.high))),
    low: Math.min(...candles.map(c => Number(c.low))),
    at: toMs(last.bucket) + intervalMs[SPARK]
  }
}

export class SymbolTile {
  readonly element: HTMLAnchorElement
  readonly symbol: string
  readonly #price = h('span', { class: 'tile-price', 'data-testid': 'tile-price' }, '—')
  readonly #change = h('span', { class: 'tile-change' }, '—')
  readonly #volume = h('span', { class: 'tile-stat' }, '—')
  readonly #high = h('span', {}, '—')
  readonly #low = h('span', {}, '—')
  readonly #age = h('span', { class: 'tile-age' }, '')
  readonly #spark: Sparkline
  #candles: Candle[] = []
  #ticker: Ticker | undefined
  #updatedAt: number | undefined
  #lastPrice: string | undefined

  constructor(symbol: string, href: string) {
    this.symbol = symbol
    const [base = symbol, quote = ''] = symbol.split('/')
    this.#spark = new Sparkline(`${symbol} price over the last 24 hours`)
    this.element = h(
      'a',
      { class: 'tile', href, 'data-symbol': symbol, 'aria-label': `${symbol}: open chart` },
      h(
        'div',
        { class: 'tile-head' },
        h('span', { class: 'tile-base' }, base),
        h('span', { class: 'tile-quote' }, `/${quote}`),
        this.#change
      ),
      h(
        'div',
        { class: 'tile-body' },
        this.#price,
        h(
          'div',
          { class: 'tile-range', 'aria-label': '24 hour high and low' },
          h('span', {}, 'H ', this.#high),
          h('span', {}, 'L ', this.#low)
        )
      ),
      this.#spark.element,
      h('div', { class: 'tile-foot' }, h('span', {}, 'Vol 24h ', this.#volume), this.#age)
    )
  }

  /** The day's candles (live or as of the playhead). */
  setCandles(candles: readonly Candle[]): void {
    this.#candles = [...candles]
    this.#render()
  }

  /** A live or replayed 15-minute candle: extends or corrects the day. */
  updateCandle(candle: Candle): void {
    const index = this.#candles.findIndex(c => c.bucket === candle.bucket)
    if (index >= 0) this.#candles[index] = candle
    else this.#candles.push(candle)
    this.#candles.sort((a, b) => a.bucket.localeCompare(b.bucket))
    const end = toMs(this.#candles[this.#candles.length - 1]?.bucket ?? candle.bucket)
    this.#candles = this.#candles.filter(c => toMs(c.bucket) > end - DAY_MS)
    this.#render()
  }

  setTicker(ticker: Ticker | undefined): void {
    this.#ticker = ticker
    this.#render()
  }

  tick(now: number): void {
    setText(this.#age, this.#updatedAt === undefined ? '' : formatAgo(now - this.#updatedAt))
  }

  redraw(): void {
    this.#spark.draw()
  }

  #render(): void {
    const stats = statsFromCandles(this.#candles)
    const t = this.#ticker
    const last = t?.last ?? stats?.last
    const changePct = t !== undefined ? Number(t.changePct24h) : stats?.changePct
    const volume = t !== undefined ? Number(t.volume24h) : stats?.volume
    const high = t !== undefined ? Number(t.high24h) : stats?.high
    const low = t !== undefined ? Number(t.low24h) : stats?.low
    this.#updatedAt = t !== undefined ? toMs(t.ts) : stats?.at
    if (last !== undefined) {
      if (this.#lastPrice !== undefined && last !== this.#lastPrice)
        flash(this.#price, Number(last) > Number(this.#lastPrice) ? 'flash-up' : 'flash-down')
      this.#lastPrice = last
      setText(this.#price, formatDecimal(last))
    }
    const direction = changePct === undefined || changePct === 0 ? 'flat' : changePct > 0 ? 'up' : 'down'
    this.#change.className = `tile-change ${direction}`
    setText(this.#change, changePct === undefined ? '—' : formatPercent(changePct))
    setText(this.#volume, volume === undefined ? '—' : formatCompact(volume))
    setText(this.#high, high === undefined ? '—' : formatPrice(high))
    setText(this.#low, low === undefined ? '—' : formatPrice(low))
    const closes = this.#candles.map(c => Number(c.close))
    if (t !== undefined && closes.length > 0) closes[closes.length - 1] = Number(t.last)
    this.#spark.set(closes)
  }
}
