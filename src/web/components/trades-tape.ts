/**
 * The trades tape: the newest trades of a symbol, newest on top, price coloured by the taker's side.
 * A fixed number of fixed-height rows: a burst of trades replaces rows, never grows the page.
 * Trades are deduplicated by id (a trade can arrive both in the snapshot and on the stream).
 */
import type { Trade } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatClock, formatDecimal } from '../lib/format.ts'
import { toMs } from '../lib/time.ts'

export class TradesTape {
  readonly element: HTMLElement
  readonly #body: HTMLOListElement
  readonly #max: number
  #trades: Trade[] = []
  #lastHighlight = 0

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
    this.#body.replaceChildren(...this.#trades.map(trade => this.#row(trade, false)))
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
    // Highlight new rows while they can be read; a fast stream would keep the whole tape animating.
    const now = performance.now()
    const highlight = now - this.#lastHighlight > 250
    if (highlight) this.#lastHighlight = now
    this.#body.prepend(...fresh.slice(0, this.#max).map(trade => this.#row(trade, highlight)))
    while (this.#body.children.length > this.#max) this.#body.lastElementChild?.remove()
  }

  #row(trade: Trade, fresh: boolean): HTMLElement {
    return h(
      'li',
      { class: `tape-row ${trade.side}${fresh ? ' is-new' : ''}`, 'data-trade-id': trade.tradeId },
      h('span', { class: 'tape-price' }, formatDecimal(trade.price)),
      h('span', { class: 'tape-qty' }, formatDecimal(trade.qty, 6)),
      h('time', { class: 'tape-time', datetime: trade.ts }, formatClock(toMs(trade.ts)))
    )
  }
}

/** RFC 3339 UTC times of one precision sort as text; ids break ties (trades of one microsecond). */
function newestFirst(a: Trade, b: Trade): number {
  return a.ts === b.ts ? b.tradeId - a.tradeId : a.ts < b.ts ? 1 : -1
}
