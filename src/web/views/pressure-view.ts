/**
 * Buy/sell pressure across the market: a heat-map of symbols (rows) by time buckets (columns), each
 * cell coloured by the bucket's taker imbalance, (buy − sell) / (buy + sell), from deep orange (all
 * sells) through neutral to deep blue (all buys), a palette that stays readable with red-green colour
 * blindness. Every cell is a table cell with its figures as text for screen readers and on hover, and
 * the legend says in words what the colours mean. One request reads every symbol (GET /api/pressure);
 * then each symbol's candles stream in and recolour their cells.
 */
import type { AppContext } from '../app/context.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import type { Candle, PressureBody, PressurePoint } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { type Interval, Intervals } from '../../contract/vocabulary.ts'
import { isInterval, toMs } from '../lib/time.ts'
import { View } from './view.ts'

const COLUMNS = 48

/** A colour for an imbalance in [−1, 1]: orange for sells, blue for buys, grey near balance. */
export function imbalanceColor(value: number): string {
  const v = Math.max(-1, Math.min(1, value))
  const strength = Math.abs(v) ** 0.7
  const hue = v >= 0 ? 212 : 28
  const lightness = 92 - strength * 52
  const saturation = 15 + strength * 70
  return `hsl(${hue} ${saturation.toFixed(0)}% ${lightness.toFixed(0)}%)`
}

const pct = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(0)} %`

function cellText(symbol: string, time: string, p: PressurePoint): string {
  const trades =
    p.buyTrades === null || p.sellTrades === null ? '' : `, ${p.buyTrades} buys and ${p.sellTrades} sells`
  return `${symbol} ${time}: imbalance ${pct(Number(p.imbalance))}, bought ${p.buyVolume}, sold ${p.sellVolume}${trades}`
}

export class PressureView extends View {
  readonly #error = new InlineError()
  readonly #table = h('table', { class: 'pressure-map', 'data-testid': 'pressure-map' })
  readonly #intervals: HTMLElement
  #interval: Interval = '5m'
  #buckets: string[] = []
  readonly #cells = new Map<string, HTMLTableCellElement>()

  constructor(context: AppContext) {
    super(context, 'pressure')
    this.#intervals = h(
      'div',
      { class: 'intervals', role: 'group', 'aria-label': 'Interval' },
      ...Intervals.map(interval =>
        h(
          'button',
          {
            type: 'button',
            'data-interval': interval,
            onclick: () => {
              this.context.setParams({ interval })
              this.reload()
            }
          },
          interval
        )
      )
    )
    const legend = h(
      'div',
      {
        class: 'pressure-legend',
        role: 'img',
        'aria-label': 'Colour scale: orange is net selling, blue is net buying'
      },
      h('span', {}, 'All sells −100 %'),
      h(
        'span',
        { class: 'legend-ramp', 'aria-hidden': 'true' },
        ...[-1, -0.5, -0.2, 0, 0.2, 0.5, 1].map(v =>
          h('span', { class: 'legend-step', style: `background:${imbalanceColor(v)}` })
        )
      ),
      h('span', {}, 'balanced 0'),
      h('span', {}, '+100 % all buys')
    )
    this.element.append(
      h(
        'section',
        { class: 'panel pressure-panel' },
        h(
          'div',
          { class: 'panel-head' },
          h('h1', { class: 'panel-title' }, 'Buy/sell pressure'),
          this.#intervals
        ),
        h(
          'p',
          { class: 'panel-note' },
          'Each cell is one candle of taker volume: (buy − sell) / (buy + sell). Hover or focus a cell for its figures; click a row to open its chart.'
        ),
        legend,
        h('div', { class: 'pressure-scroll' }, this.#table),
        this.#error.element
      )
    )
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    const param = this.context.route().params.get('interval')
    this.#interval = isInterval(param) ? param : '5m'
    for (const button of this.#intervals.querySelectorAll<HTMLElement>('button'))
      button.setAttribute('aria-pressed', String(button.dataset.interval === this.#interval))
    const symbols = (await this.context.symbols.list().catch(() => [])).map(e => e.symbol).slice(0, 20)
    for (const symbol of symbols) {
      this.listen(feed, `candles:${symbol}:${this.#interval}`, event => {
        for (const candle of event.data as (Candle & { imbalance?: string })[]) this.#update(symbol, candle)
      })
    }
    if (symbols.length === 0) {
      this.#table.replaceChildren(h('caption', {}, 'No symbols yet'))
      this.ready()
      return
    }
    const body = await retrying(
      'pressure',
      s =>
        getJson<PressureBody>(
          '/api/pressure',
          {
            symbols: symbols.join(','),
            interval: this.#interval,
            limit: COLUMNS,
            to: snapshotTo(feed, this.#interval)
          },
          s
        ),
      this.#error,
      signal
    )
    if (body === undefined) return
    this.#render(body)
    this.ready()
  }

  #render(body: PressureBody): void {
    const buckets = [...new Set(body.series.flatMap(s => s.points.map(p => p.bucket)))]
      .sort((a, b) => toMs(a) - toMs(b))
      .slice(-COLUMNS)
    this.#buckets = buckets
    this.#cells.clear()
    const label = (bucket: string): string => bucket.slice(11, 16)
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Symbol'),
      ...buckets.map((bucket, i) =>
        h('th', { scope: 'col', class: 'bucket', title: bucket }, i % 6 === 0 ? label(bucket) : '')
      )
    )
    const rows = body.series.map(series =>
      h(
        'tr',
        {},
        h(
          'th',
          { scope: 'row' },
          h(
            'a',
            { href: `#/symbol/${encodeURIComponent(series.symbol)}?interval=${this.#interval}` },
            series.symbol
          )
        ),
        ...buckets.map(bucket => {
          const cell = h('td', { class: 'pressure-cell', tabindex: -1 }) as HTMLTableCellElement
          this.#cells.set(`${series.symbol} ${toMs(bucket)}`, cell)
          const point = series.points.find(p => toMs(p.bucket) === toMs(bucket))
          if (point !== undefined) this.#paint(cell, series.symbol, point)
          else cell.setAttribute('aria-label', `${series.symbol} ${bucket}: no trades`)
          return cell
        })
      )
    )
    this.#table.replaceChildren(
      h('caption', { class: 'visually-hidden' }, `Buy/sell imbalance per ${this.#interval} candle`),
      h('thead', {}, head),
      h('tbody', {}, ...rows)
    )
  }

  #paint(cell: HTMLTableCellElement, symbol: string, point: PressurePoint): void {
    const value = Number(point.imbalance)
    const text = cellText(symbol, point.bucket, point)
    cell.style.background = imbalanceColor(value)
    cell.dataset.imbalance = point.imbalance
    cell.title = text
    cell.setAttribute('aria-label', text)
  }

  /** A streamed candle recolours its cell (a new bucket waits for the next load to get a column). */
  #update(symbol: string, candle: Candle & { imbalance?: string }): void {
    const cell = this.#cells.get(`${symbol} ${toMs(candle.bucket)}`)
    const buy = Number(candle.buyVolume ?? NaN)
    const sell = Number(candle.sellVolume ?? NaN)
    if (cell === undefined || !(buy + sell > 0)) return
    this.#paint(cell, symbol, {
      bucket: candle.bucket,
      buyVolume: candle.buyVolume ?? '0',
      sellVolume: candle.sellVolume ?? '0',
      imbalance: candle.imbalance ?? String((buy - sell) / (buy + sell)),
      buyTrades: null,
      sellTrades: null,
      buyQuoteVolume: null,
      sellQuoteVolume: null
    })
    if (this.#buckets.length > 0 && toMs(candle.bucket) > toMs(this.#buckets[this.#buckets.length - 1] ?? ''))
      this.reload()
  }
}
