/**
 * Market movers: the articles after which a symbol moved most, ranked by the abnormal return at a
 * chosen horizon (the move in standard deviations of an ordinary move as long: docs/impact.md),
 * each with the price path from 30 min before to 2 h after its publication; beside them, per news
 * source, the size of its moves and how often its sentiment had their sign. Filterable like the
 * news view (symbol, source), plus the horizon and a minimum |abnormal|. The analytics job's
 * `impact` events refresh the tables.
 */
import type { AppContext } from '../app/context.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { sentimentBadge } from '../components/sentiment-badge.ts'
import { Sparkline } from '../components/sparkline.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import { type ImpactHorizon, ImpactHorizons } from '../../contract/vocabulary.ts'
import type { CandlesPage, ImpactMove, ImpactSource } from '../data/types.ts'
import { formatClock, formatReturn, formatSigma } from '../lib/format.ts'
import { h } from '../lib/dom.ts'
import { webHref } from '../lib/safe-url.ts'
import { toIso, toMs } from '../lib/time.ts'
import { View } from './view.ts'
import '../styles/movers.css'

const ROWS = 30
const MINUTE_MS = 60_000
/** The price path around a publication: from 30 min before to 2 h after. */
const PATH_BEFORE_MS = 30 * MINUTE_MS
const PATH_AFTER_MS = 120 * MINUTE_MS
/** Impact events arrive with every closed minute: the tables are read again at most this often. */
const REFRESH_MS = 10_000
const Minimums = ['', '1', '2', '3'] as const

const isHorizon = (value: string | null): value is ImpactHorizon =>
  (ImpactHorizons as readonly (string | null)[]).includes(value)

export class MoversView extends View {
  readonly #rows = h('tbody', { 'data-testid': 'movers-rows' })
  readonly #sources = h('tbody', { 'data-testid': 'impact-sources' })
  readonly #error = new InlineError()
  readonly #symbol = h('select', { 'aria-label': 'Symbol' })
  readonly #source = h('select', { 'aria-label': 'Source' })
  readonly #horizon = h('select', { 'aria-label': 'Horizon' })
  readonly #minimum = h('select', { 'aria-label': 'Minimum move' })
  readonly #returnHead = h('th', { scope: 'col' })
  readonly #paths: Sparkline[] = []
  #refresh: number | undefined

  constructor(context: AppContext) {
    super(context, 'movers')
    const filters = h(
      'form',
      { class: 'filters', role: 'search' },
      h('label', {}, h('span', {}, 'Symbol'), this.#symbol),
      h('label', {}, h('span', {}, 'Source'), this.#source),
      h('label', {}, h('span', {}, 'Horizon'), this.#horizon),
      h('label', {}, h('span', {}, 'At least'), this.#minimum)
    )
    filters.addEventListener('submit', event => event.preventDefault())
    for (const control of [this.#symbol, this.#source, this.#horizon, this.#minimum])
      control.addEventListener('change', () => this.#applyFilters())
    this.element.append(
      h('h1', { class: 'visually-hidden' }, 'Market movers'),
      filters,
      h(
        'div',
        { class: 'movers-layout' },
        h(
          'section',
          { class: 'panel', 'aria-label': 'Market movers' },
          h('h2', { class: 'panel-title' }, 'Market movers · largest moves after the news'),
          h(
            'table',
            { class: 'movers-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Published'),
                h('th', { scope: 'col' }, 'Article'),
                h('th', { scope: 'col' }, 'Symbol'),
                this.#returnHead,
                h(
                  'th',
                  { scope: 'col', title: 'the move in standard deviations of an ordinary move as long' },
                  'Abnormal'
                ),
                h('th', { scope: 'col', title: 'volume over the 24 h average of an equal window' }, 'Volume'),
                h('th', { scope: 'col' }, '−30 min … +2 h')
              )
            ),
            this.#rows
          ),
          this.#error.element,
          h(
            'p',
            { class: 'movers-note' },
            'Correlation, not causation: a move after an article may have other causes, and articles close together share their moves. Italic figures are provisional (the window is still open).'
          )
        ),
        h(
          'section',
          { class: 'panel', 'aria-label': 'Sources' },
          h('h2', { class: 'panel-title' }, 'Sources · final moves'),
          h(
            'table',
            { class: 'movers-table sources-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Source'),
                h('th', { scope: 'col' }, 'Articles'),
                h('th', { scope: 'col' }, 'Mean |abnormal|'),
                h(
                  'th',
                  { scope: 'col', title: 'how often the sentiment had the sign of the move' },
                  'Sentiment hit rate'
                )
              )
            ),
            this.#sources
          )
        )
      )
    )
  }

  override dispose(): void {
    super.dispose()
    window.clearTimeout(this.#refresh)
  }

  override themeChanged(): void {
    for (const path of this.#paths) path.draw()
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    const params = this.context.route().params
    const horizonParam = params.get('horizon')
    const horizon: ImpactHorizon = isHorizon(horizonParam) ? horizonParam : '30m'
    const filter = {
      symbol: params.get('symbol') ?? undefined,
      source: params.get('source') ?? undefined,
      minAbnormal: params.get('min') ?? undefined
    }
    this.#returnHead.textContent = `Return ${horizon}`
    const to = snapshotTo(feed)
    this.listen(feed, 'impact', () => this.#scheduleRefresh())
    const sources = getJson<{ sources: ImpactSource[] }>(
      '/api/impact/sources',
      { horizon, to, asOf: to },
      signal
    ).catch(() => undefined)
    const page = await retrying(
      'market movers',
      s =>
        getJson<{ moves: ImpactMove[] }>(
          '/api/impact',
          // Looking at a past moment, only the moves known then (asOf).
          { ...filter, sort: 'abnormal', horizon, limit: ROWS, to, asOf: to },
          s
        ),
      this.#error,
      signal
    )
    if (page === undefined) return
    const sourceList = (await sources)?.sources ?? []
    this.#fillFilters(filter, horizon, sourceList)
    this.#showMoves(page.moves, horizon, signal)
    this.#showSources(sourceList)
    this.ready()
  }

  #scheduleRefresh(): void {
    if (this.#refresh !== undefined) return
    this.#refresh = window.setTimeout(() => {
      this.#refresh = undefined
      this.reload()
    }, REFRESH_MS)
  }

  #showMoves(moves: readonly ImpactMove[], horizon: ImpactHorizon, signal: AbortSignal): void {
    this.#paths.length = 0
    this.#rows.dataset.horizon = horizon
    if (moves.length === 0) {
      this.#rows.replaceChildren(
        h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No moves match these filters yet'))
      )
      return
    }
    this.#rows.replaceChildren(
      ...moves.map(move => {
        const path = new Sparkline(`${move.symbol} from 30 min before to 2 h after the article`)
        this.#paths.push(path)
        void this.#loadPath(move, path, signal)
        const href = webHref(move.url)
        const final = move.final[horizon]
        return h(
          'tr',
          {
            class: final ? 'move' : 'move provisional',
            'data-article-id': move.articleId,
            'data-symbol': move.symbol,
            'data-published-at': move.publishedAt,
            'data-return': move.returns[horizon] ?? '',
            'data-final': String(final)
          },
          h(
            'td',
            { class: 'num' },
            h('time', { datetime: move.publishedAt }, formatClock(toMs(move.publishedAt)))
          ),
          h(
            'td',
            { class: 'move-article' },
            href === undefined
              ? h('span', { class: 'move-title' }, move.title)
              : h(
                  'a',
                  { class: 'move-title', href, target: '_blank', rel: 'noopener noreferrer' },
                  move.title
                ),
            h('span', { class: 'move-meta' }, `${move.source} `, sentimentBadge(move.sentiment))
          ),
          h('td', {}, move.symbol),
          h('td', { class: 'num move-return' }, formatReturn(move.returns[horizon])),
          h('td', { class: 'num move-abnormal' }, formatSigma(move.abnormal[horizon])),
          h(
            'td',
            { class: 'num' },
            move.volumeRatio[horizon] === null ? '—' : `×${Number(move.volumeRatio[horizon]).toFixed(2)}`
          ),
          h('td', { class: 'move-path' }, path.element)
        )
      })
    )
  }

  async #loadPath(move: ImpactMove, path: Sparkline, signal: AbortSignal): Promise<void> {
    const published = toMs(move.publishedAt)
    const page = await getJson<CandlesPage>(
      '/api/candles',
      {
        symbol: move.symbol,
        interval: '1m',
        from: toIso(published - PATH_BEFORE_MS),
        to: toIso(published + PATH_AFTER_MS),
        limit: (PATH_BEFORE_MS + PATH_AFTER_MS) / MINUTE_MS + 1
      },
      signal
    ).catch(() => undefined)
    if (page === undefined) return
    path.element.dataset.points = String(page.candles.length)
    path.set(page.candles.map(c => Number(c.close)))
  }

  #showSources(sources: readonly ImpactSource[]): void {
    if (sources.length === 0) {
      this.#sources.replaceChildren(
        h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No final moves yet'))
      )
      return
    }
    this.#sources.replaceChildren(
      ...sources.map(s =>
        h(
          'tr',
          { 'data-source': s.source },
          h('td', {}, s.source),
          h('td', { class: 'num' }, String(s.articles)),
          h(
            'td',
            { class: 'num' },
            s.meanAbsAbnormal === null ? '—' : `${Number(s.meanAbsAbnormal).toFixed(2)}\u2009σ`
          ),
          h(
            'td',
            { class: 'num' },
            s.hitRate === null
              ? '— · 0/0'
              : `${(Number(s.hitRate) * 100).toFixed(0)}\u2009% · ${s.signMatched}/${s.signCompared}`
          )
        )
      )
    )
  }

  #fillFilters(
    filter: { symbol?: string | undefined; source?: string | undefined; minAbnormal?: string | undefined },
    horizon: ImpactHorizon,
    sources: readonly ImpactSource[]
  ): void {
    const options = (all: string, values: Iterable<string>, selected: string | undefined) => [
      h('option', { value: '' }, all),
      ...[...new Set(values)].sort().map(v => h('option', { value: v, selected: v === selected }, v))
    ]
    const chosen = (value: string | undefined): string[] => (value === undefined ? [] : [value])
    this.#symbol.replaceChildren(...options('All symbols', chosen(filter.symbol), filter.symbol))
    void this.context.symbols
      .list()
      .then(list =>
        this.#symbol.replaceChildren(
          ...options('All symbols', [...list.map(s => s.symbol), ...chosen(filter.symbol)], filter.symbol)
        )
      )
      .catch(() => undefined)
    this.#source.replaceChildren(
      ...options('All sources', [...sources.map(s => s.source), ...chosen(filter.source)], filter.source)
    )
    this.#horizon.replaceChildren(
      ...ImpactHorizons.map(name => h('option', { value: name, selected: name === horizon }, name))
    )
    this.#minimum.replaceChildren(
      ...Minimums.map(value =>
        h(
          'option',
          { value, selected: value === (filter.minAbnormal ?? '') },
          value === '' ? 'any move' : `${value} σ`
        )
      )
    )
  }

  #applyFilters(): void {
    const value = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim())
    this.context.setParams({
      symbol: value(this.#symbol.value),
      source: value(this.#source.value),
      horizon: value(this.#horizon.value),
      min: value(this.#minimum.value)
    })
    this.reload()
  }
}
