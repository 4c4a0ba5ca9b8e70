/**
 * The chart's legend (top left, as in trading terminals): symbol and interval, then open, high, low,
 * close, change and volume of the bar under the pointer (the last bar otherwise), and the overlay
 * values there; a line saying what the lighter candles are while the chart holds any of the
 * exchange's own. Plus the news card shown when the pointer is over a bar with articles, with the
 * market's move after each (docs/impact.md).
 */
import type { Bar } from '../chart/bars.ts'
import type { Article } from '../data/types.ts'
import { append, h, setText } from '../lib/dom.ts'
import { formatClock, formatCompact, formatPercent, formatPrice } from '../lib/format.ts'
import { toMs } from '../lib/time.ts'
import { impactLine } from './impact-line.ts'
import { sentimentBadge } from './sentiment-badge.ts'

export interface LegendValue {
  label: string
  color: string
  value: number | undefined
}

export class ChartLegend {
  readonly element: HTMLElement
  readonly #title = h('span', { class: 'legend-title' })
  readonly #ohlc = h('span', { class: 'legend-ohlc' })
  readonly #values = h('div', { class: 'legend-values' })
  readonly #exchangeNote = h(
    'div',
    { class: 'legend-exchange', 'data-testid': 'exchange-candles-note', hidden: true },
    "Lighter candles: Kraken's own OHLC, from before the pipeline saw the trades"
  )
  #labels = ''

  constructor() {
    this.element = h(
      'div',
      { class: 'chart-legend', 'aria-live': 'off' },
      h('div', {}, this.#title, this.#ohlc),
      this.#values,
      this.#exchangeNote
    )
  }

  /** Shows the line about the exchange's own candles while the chart holds some. */
  setExchangeCandles(present: boolean): void {
    this.#exchangeNote.hidden = !present
  }

  setTitle(title: string): void {
    setText(this.#title, title)
  }

  show(bar: Bar | undefined, previousClose: number | undefined, values: readonly LegendValue[]): void {
    if (bar === undefined) {
      setText(this.#ohlc, '')
      this.#values.replaceChildren()
      return
    }
    const change =
      previousClose === undefined || previousClose === 0
        ? undefined
        : ((bar.close - previousClose) / previousClose) * 100
    const direction = bar.close >= bar.open ? 'up' : 'down'
    this.#ohlc.className = `legend-ohlc ${direction}`
    setText(
      this.#ohlc,
      `O ${formatPrice(bar.open)}  H ${formatPrice(bar.high)}  L ${formatPrice(bar.low)}  C ${formatPrice(bar.close)}` +
        `${change === undefined ? '' : `  ${formatPercent(change)}`}  Vol ${formatCompact(bar.volume)}` +
        `${bar.exchange ? '  · Kraken OHLC' : ''}`
    )
    // Live ticks change the numbers, rarely the overlays: rewrite the numbers in place when the
    // labels are the same, rather than rebuilding the elements every frame.
    const labels = values.map(v => `${v.label} ${v.color}`).join('|')
    if (labels === this.#labels) {
      values.forEach((v, i) => {
        const b = this.#values.children[i]?.querySelector('b')
        if (b) showValue(b, v.value)
      })
      return
    }
    this.#labels = labels
    this.#values.replaceChildren(
      ...values.map(v =>
        h(
          'span',
          { class: 'legend-value', style: `--swatch: ${v.color}` },
          `${v.label} `,
          h('b', {}, v.value === undefined ? '—' : formatPrice(v.value))
        )
      )
    )
  }
}

/**
 * A value in place. A value missing for a moment (a new bar drawn before its indicators arrive)
 * keeps the width of the number it replaces, so the values after it do not jump left and back.
 */
function showValue(b: HTMLElement, value: number | undefined): void {
  if (value !== undefined) {
    b.style.minWidth = ''
    return setText(b, formatPrice(value))
  }
  if (b.textContent !== '—') b.style.minWidth = `${b.getBoundingClientRect().width}px`
  setText(b, '—')
}

export class NewsCard {
  readonly element = h('div', { class: 'news-card', role: 'tooltip', hidden: true })

  show(articles: readonly Article[], x: number, width: number): void {
    if (articles.length === 0) return this.hide()
    const shown = articles.slice(0, 4)
    this.element.replaceChildren()
    append(this.element, [
      h('div', { class: 'news-card-head' }, `${articles.length} article${articles.length > 1 ? 's' : ''}`),
      ...shown.map(article =>
        h(
          'div',
          { class: 'news-card-item' },
          h(
            'div',
            { class: 'news-card-meta' },
            `${article.source} · ${formatClock(toMs(article.publishedAt)).slice(0, 5)} `,
            sentimentBadge(article.sentiment)
          ),
          h('div', { class: 'news-card-title' }, article.title),
          // The move after it (absent until the analytics job measured it).
          ...(article.impact ?? []).slice(0, 2).map(impactLine)
        )
      ),
      articles.length > shown.length
        ? h('div', { class: 'news-card-more' }, `+ ${articles.length - shown.length} more`)
        : null
    ])
    this.element.hidden = false
    const cardWidth = Math.min(320, width - 16)
    this.element.style.width = `${cardWidth}px`
    // Beside the pointer, on the side with room, so the card never covers the marker it explains.
    const right = x + 16
    const left = right + cardWidth <= width - 8 ? right : Math.max(8, x - 16 - cardWidth)
    this.element.style.left = `${left}px`
  }

  hide(): void {
    this.element.hidden = true
  }
}
