/**
 * The symbol's quote above the tape: last price, 24h change, bid/ask and spread when a ticker is
 * known; when replaying (no stored tickers), the last close as of the playhead. Live prices are
 * written at the live drawing pace (frame-batch.ts): a new width of the price relays out the header.
 */
import { FrameScheduler, LIVE_DRAW_INTERVAL_MS } from '../chart/frame-batch.ts'
import type { Ticker } from '../data/types.ts'
import { flash, h, setText } from '../lib/dom.ts'
import { formatDecimal, formatPercent, formatPrice } from '../lib/format.ts'

export class Quote {
  readonly element: HTMLElement
  readonly #price = h('div', { class: 'quote-price', 'data-testid': 'quote-price' }, '—')
  readonly #change = h('span', { class: 'quote-change' }, '')
  readonly #book = h('div', { class: 'quote-book' }, '')
  #last: number | undefined
  #pending: { value: number; text: string } | undefined
  readonly #priceDraw = new FrameScheduler(() => this.#drawPrice(), LIVE_DRAW_INTERVAL_MS)

  constructor(symbol: string) {
    this.element = h(
      'div',
      { class: 'quote' },
      h('div', { class: 'quote-symbol' }, symbol, this.#change),
      this.#price,
      this.#book
    )
  }

  setTicker(ticker: Ticker): void {
    this.#setPrice(Number(ticker.last), formatDecimal(ticker.last))
    const pct = Number(ticker.changePct24h)
    this.#change.className = `quote-change ${pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat'}`
    setText(this.#change, `${formatPercent(pct)} 24h`)
    const spread = Number(ticker.ask) - Number(ticker.bid)
    setText(
      this.#book,
      `Bid ${formatDecimal(ticker.bid)} · Ask ${formatDecimal(ticker.ask)} · Spread ${formatPrice(spread)}`
    )
  }

  /** The last trade's price: it moves before the next ticker says so. */
  setTrade(price: string): void {
    this.#setPrice(Number(price), formatDecimal(price))
  }

  /** The price from candles, when there is no ticker for the moment shown. */
  setClose(close: number, label: string): void {
    this.#setPrice(close, formatPrice(close))
    setText(this.#book, label)
  }

  #setPrice(value: number, text: string): void {
    this.#pending = { value, text }
    this.#priceDraw.request()
  }

  #drawPrice(): void {
    if (this.#pending === undefined) return
    const { value, text } = this.#pending
    this.#pending = undefined
    if (this.#last !== undefined && value !== this.#last)
      flash(this.#price, value > this.#last ? 'up' : 'down')
    this.#last = value
    setText(this.#price, text)
  }
}
