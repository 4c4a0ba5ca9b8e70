/**
 * Markets overview: a tile per symbol (price, 24h change, volume, sparkline, freshness), the latest
 * news and the latest alerts. Live: tickers for prices, 15-minute candles for the sparklines,
 * articles, scores and alerts as they are stored. Replayed: the same from stored candles, articles
 * and alerts as of the playhead.
 */
import type { AppContext } from '../app/context.ts'
import { AlertList } from '../components/alert-list.ts'
import { ArticleList } from '../components/article-list.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { SymbolTile } from '../components/symbol-tile.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { onHistoryLoaded } from '../data/history-events.ts'
import { RecentScores } from '../data/recent-scores.ts'
import { getJson } from '../data/rest.ts'
import type { Alert, Article, Candle, CandlesPage, LiveEvent, SymbolEntry, Ticker } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { View } from './view.ts'

const SPARK_CANDLES = 96

export class OverviewView extends View {
  readonly #tiles = h('div', { class: 'tiles', 'data-testid': 'tiles', 'aria-busy': 'true' })
  readonly #tileError = new InlineError()
  readonly #news = new ArticleList({ max: 8, compact: true, empty: 'No news yet' })
  readonly #newsError = new InlineError()
  readonly #alerts = new AlertList(8, 'No alerts')
  readonly #alertsError = new InlineError()
  readonly #scores = new RecentScores()
  #byTile = new Map<string, SymbolTile>()
  /** Symbols heard live but unknown to the API after a re-read (another deployment's, say). */
  readonly #foreign = new Set<string>()
  #refreshing = false

  constructor(context: AppContext) {
    super(context, 'overview')
    this.#tiles.append(
      ...Array.from({ length: 4 }, () => h('div', { class: 'tile skeleton', 'aria-hidden': 'true' }))
    )
    const clock = (): number => context.time.now()
    this.#news.setClock(clock)
    this.#alerts.setClock(clock)
    this.element.append(
      h('h1', { class: 'visually-hidden' }, 'Markets overview'),
      h('div', { class: 'panel tiles-panel' }, this.#tiles, this.#tileError.element),
      h(
        'div',
        { class: 'overview-panels' },
        h(
          'section',
          { class: 'panel' },
          h(
            'h2',
            { class: 'panel-title' },
            'Latest news',
            h('a', { href: '#/news', class: 'panel-link' }, 'All news →')
          ),
          this.#news.element,
          this.#newsError.element
        ),
        h(
          'section',
          { class: 'panel' },
          h(
            'h2',
            { class: 'panel-title' },
            'Alerts',
            h('a', { href: '#/alerts', class: 'panel-link' }, 'All alerts →')
          ),
          this.#alerts.element,
          this.#alertsError.element
        )
      )
    )
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    this.listen(feed, 'articles', event => this.#news.add(this.#scores.apply(event.data as Article)))
    this.listen(feed, 'sentiment', event => {
      const score = this.#scores.record(event)
      if (score !== undefined) this.#news.score(score.articleId, score)
    })
    this.listen(feed, 'alerts', event => this.#alerts.add(event.data as Alert))
    this.listen(feed, 'tickers', event => this.#onTicker(event))
    // The sparklines' 15-minute candles may have been read before the exchange's history arrived.
    if (feed.mode === 'live')
      signal.addEventListener(
        'abort',
        onHistoryLoaded(() => this.reload())
      )
    const to = snapshotTo(feed)
    const news = retrying(
      'news',
      s => getJson<{ articles: Article[] }>('/api/articles', { limit: 8, to }, s),
      this.#newsError,
      signal
    )
    const alerts = retrying(
      'alerts',
      s => getJson<{ alerts: Alert[] }>('/api/alerts', { limit: 8, to }, s),
      this.#alertsError,
      signal
    )
    const symbols = await retrying('markets', s => this.context.symbols.list(s, 0), this.#tileError, signal)
    if (symbols === undefined) return
    await this.#buildTiles(feed, symbols, signal)
    this.#news.set((await news)?.articles ?? [])
    this.#alerts.set((await alerts)?.alerts ?? [])
    this.ready()
  }

  override tick(now: number): void {
    for (const tile of this.#byTile.values()) tile.tick(now)
    this.#news.tick()
    this.#alerts.tick()
  }

  override themeChanged(): void {
    for (const tile of this.#byTile.values()) tile.redraw()
  }

  async #buildTiles(feed: Feed, symbols: readonly SymbolEntry[], signal: AbortSignal): Promise<void> {
    const replaying = feed.mode === 'replay'
    const tiles = new Map<string, SymbolTile>()
    for (const { symbol, ticker } of symbols) {
      const tile = new SymbolTile(symbol, this.context.href('symbol', { symbol }))
      // A stored ticker is the latest one: right for now, from the future for a replayed moment.
      if (!replaying && ticker !== null) tile.setTicker(ticker)
      tiles.set(symbol, tile)
      this.listen(feed, `candles:${symbol}:15m`, event => {
        for (const candle of event.data as Candle[]) tile.updateCandle(candle)
      })
    }
    this.#byTile = tiles
    this.#tiles.removeAttribute('aria-busy')
    this.#tiles.replaceChildren(...[...tiles.values()].map(tile => tile.element))
    if (tiles.size === 0)
      this.#tiles.append(
        h('p', { class: 'empty' }, 'No markets yet: the first ticker or trade stored will add one.')
      )
    const to = snapshotTo(feed, '15m')
    await Promise.all(
      [...tiles.values()].map(async tile => {
        const page = await retrying(
          `${tile.symbol} candles`,
          s =>
            getJson<CandlesPage>(
              '/api/candles',
              { symbol: tile.symbol, interval: '15m', limit: SPARK_CANDLES, to },
              s
            ),
          this.#tileError,
          signal
        )
        if (page !== undefined) tile.setCandles(page.candles)
      })
    )
    this.tick(this.context.time.now())
  }

  #onTicker(event: LiveEvent): void {
    const ticker = event.data as Ticker
    const tile = this.#byTile.get(ticker.symbol)
    if (tile !== undefined) return tile.setTicker(ticker)
    // A market not shown yet: read the list again, once per unknown symbol.
    if (this.#refreshing || this.#foreign.has(ticker.symbol)) return
    this.#foreign.add(ticker.symbol)
    this.#refreshing = true
    window.setTimeout(() => {
      this.#refreshing = false
      this.reload()
    }, 2_000)
  }
}
