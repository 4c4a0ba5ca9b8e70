/**
 * The trades tape: the newest trades of a symbol, newest on top, price coloured by the taker's side.
 * A fixed number of fixed-height rows: a burst of trades rewrites rows, never grows the page.
 * Trades are deduplicated by id (a trade can arrive both in the snapshot and on the stream). Live
 * trades are written into the rows in an animation frame, at most five times a second, however fast
 * they arrive (frame-batch.ts): each write restyles the tape.
 */
import { FrameScheduler, LIVE_DRAW_INTERVAL_MS } from '../chart/frame-batch.ts'
import type { Trade } from '../data/types.ts'
import { h, setText } from '../lib/dom.ts'
import { formatClock, formatDecimal } from '../lib/format.ts'
import { toMs } from '../lib/time.ts'

export class TradesTape {
  readonly element: HTMLElement
  readonly #body: HTMLOListElement
  readonly #max: number
  #trades: Trade[] = []
  #lastHighlight = 0
  /** Trades added since the rows were last written (the newest rows to highlight). */
  #unwritten = 0
  #highlightClass: 'tape-new' | 'tape-new-again' = 'tape-new-again'
  readonly #draw = new FrameScheduler(() => this.#drawAdded(), LIVE_DRAW_INTERVAL_MS)

  constructor(max: number) {
    this.#max = max
    this.#body = h('ol', { class: 'tape-rows', 'data-testid': 'trades-tape', 'data-empty': 'No trades yet' })
    this.element = h(
      'div',
      { class: 'tape' },
      h(
        'div',
        { class: 'tape-head', 'aria-hidden': 'true' },
        h('span', {}, 'Price'),
        h('span', {}, 'Amount'),
        h('span', {}, 'Time')
      ),
      this.#body
    )
  }

  get trades(): readonly Trade[] {
    return this.#trades
  }

  set(trades: readonly Trade[]): void {
    this.#trades = [...trades].sort(newestFirst).slice(0, this.#max)
    this.#unwritten = 0
    this.#render(0)
  }

  /** Adds live trades (any order); rows for trades already shown are not repeated. */
  add(trades: readonly Trade[]): void {
    const known = new Set(this.#trades.map(t => t.tradeId))
    const fresh = trades.filter(t => !known.has(t.tradeId)).sort(newestFirst)
    if (fresh.length === 0) return
    const newest = this.#trades[0]
    // Trades older than the newest shown (a late page) are merged in order; the usual case prepends.
    if (newest !== undefined && fresh.some(t => newestFirst(t, newest) > 0))
      return this.set([...this.#trades, ...fresh])
    this.#trades = [...fresh, ...this.#trades].slice(0, this.#max)
    this.#unwritten += fresh.length
    this.#draw.request()
  }

  #drawAdded(): void {
    if (this.#unwritten === 0) return
    // Highlight new rows while they can be read; a fast stream would keep the whole tape animating.
    const now = performance.now()
    const highlight = now - this.#lastHighlight > 250
    if (highlight) this.#lastHighlight = now
    this.#render(highlight ? Math.min(this.#unwritten, this.#trades.length) : 0)
    this.#unwritten = 0
  }

  /**
   * Writes the trades into the rows, newest first, highlighting the first `fresh`. The rows stay in
   * place and only their text changes: a new trade moves the trades down the tape, not the rows.
   * Prepending a row instead moved every row below it, which the browser counts as a layout shift
   * (one per trade, without end while the market trades).
   */
  #render(fresh: number): void {
    const rows = this.#body.children
    while (rows.length > this.#trades.length) this.#body.lastElementChild?.remove()
    while (rows.length < this.#trades.length)
      this.#body.append(
        h(
          'li',
          { class: 'tape-row' },
          h('span', { class: 'tape-price' }),
          h('span', { class: 'tape-qty' }),
          h('time', { class: 'tape-time' })
        )
      )
    this.#trades.forEach((trade, i) => {
      const row = rows[i] as HTMLElement
      const [price, qty, time] = row.children
      row.className = `tape-row ${trade.side}`
      row.dataset.tradeId = String(trade.tradeId)
      if (price) setText(price, formatDecimal(trade.price))
      if (qty) setText(qty, formatDecimal(trade.qty, 6))
      if (time) {
        time.setAttribute('datetime', trade.ts)
        setText(time, formatClock(toMs(trade.ts)))
      }
    })
    if (fresh === 0) return
    // Two classes with the same fade under different names, taken in turn: a new animation name
    // restarts the highlight on a row that still has the other one, with no forced layout (base.css).
    this.#highlightClass = this.#highlightClass === 'tape-new' ? 'tape-new-again' : 'tape-new'
    for (let i = 0; i < fresh && i < rows.length; i++) rows[i]?.classList.add(this.#highlightClass)
  }
}

/** RFC 3339 UTC times of one precision sort as text; ids break ties (trades of one microsecond). */
function newestFirst(a: Trade, b: Trade): number {
  return a.ts === b.ts ? b.tradeId - a.tradeId : a.ts < b.ts ? 1 : -1
}
