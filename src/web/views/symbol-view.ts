/**
 * One market: candlestick chart with volume, overlays and RSI, news markers, the trades tape, the
 * quote and the coin's latest news. The snapshot is read as of the feed's present; then candles,
 * indicators, trades, tickers, articles and scores follow from the feed (WebSocket or replay) and go
 * through the chart's incremental path. Scrolling or zooming to the oldest bar loads older history.
 */
import type { AppContext } from '../app/context.ts'
import { type Bar, toBar } from '../chart/bars.ts'
import { readChartColors } from '../chart/chart-theme.ts'
import { FrameScheduler, LIVE_DRAW_INTERVAL_MS } from '../chart/frame-batch.ts'
import { IndicatorNames, type OverlayName, Overlays } from '../chart/indicator-names.ts'
import { legendValues } from '../chart/legend-values.ts'
import { NewsMarkers } from '../chart/news-markers.ts'
import { PriceChart } from '../chart/price-chart.ts'
import { SignalCharts } from '../chart/signal-charts.ts'
import { ArticleList } from '../components/article-list.ts'
import { ChartLegend, NewsCard } from '../components/chart-legend.ts'
import { chartToolbar, storedOverlays } from '../components/chart-toolbar.ts'
import { Quote } from '../components/quote.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { TradesTape } from '../components/trades-tape.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { RecentScores } from '../data/recent-scores.ts'
import { onHistoryLoaded } from '../data/history-events.ts'
import { getJson } from '../data/rest.ts'
import type {
  Article,
  Candle,
  CandlesPage,
  ImpactUpdate,
  IndicatorUpdate,
  Ticker,
  Trade
} from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatMoment } from '../lib/format.ts'
import { type Interval } from '../../contract/vocabulary.ts'
import { isInterval, toChartTime, toIso } from '../lib/time.ts'
import { View } from './view.ts'

const DEFAULT_HISTORY = 500
const OLDER_PAGE = 1000
const indicatorsOf = (page: CandlesPage) =>
  Object.fromEntries(
    Object.entries(page.indicators ?? {}).map(([name, points]) => [
      name,
      points.map(p => ({ time: toChartTime(p.bucket), value: p.value }))
    ])
  )

export class SymbolView extends View {
  readonly #symbol: string
  readonly #coin: string
  readonly #host = h('div', { class: 'chart-host', 'data-testid': 'price-chart' })
  readonly #macdHost = h('div', { class: 'signal-host', 'data-testid': 'macd-chart' })
  readonly #pressureHost = h('div', { class: 'signal-host', 'data-testid': 'pressure-chart' })
  readonly #macdPane = h(
    'div',
    { class: 'signal-pane' },
    h('div', { class: 'signal-label' }, 'MACD 12/26/9 · line, signal (dashed), histogram'),
    this.#macdHost
  )
  readonly #legend = new ChartLegend()
  readonly #card = new NewsCard()
  readonly #chartError = new InlineError()
  readonly #tape = new TradesTape(40)
  readonly #tapeError = new InlineError()
  readonly #quote: Quote
  readonly #news = new ArticleList({ max: 6, compact: true, empty: 'No news about this coin yet' })
  readonly #scores = new RecentScores()
  #chart: PriceChart | undefined
  #signals: SignalCharts | undefined
  #markers: NewsMarkers | undefined
  #overlays: Set<OverlayName> = storedOverlays()
  #interval: Interval = '1m'
  #olderState: 'idle' | 'loading' | 'done' = 'idle'
  #hovered: number | undefined
  // Once per frame for the pointer; at the live drawing pace for the stream (frame-batch.ts).
  readonly #legendDraw = new FrameScheduler(() => this.#drawLegend())
  readonly #liveDraw = new FrameScheduler(() => this.#drawLive(), LIVE_DRAW_INTERVAL_MS)
  #firstDrawn = false

  constructor(context: AppContext, symbol: string) {
    super(context, 'symbol')
    this.#symbol = symbol
    this.#coin = symbol.split('/')[0] ?? symbol
    this.#quote = new Quote(symbol)
    this.#news.setClock(() => context.time.now())
    const toolbarSlot = h('div', { class: 'toolbar-slot' })
    this.element.append(
      h('h1', { class: 'visually-hidden' }, `${symbol} chart`),
      toolbarSlot,
      h(
        'div',
        { class: 'symbol-layout' },
        h(
          'div',
          { class: 'chart-column' },
          h(
            'div',
            { class: 'panel chart-panel' },
            this.#host,
            this.#legend.element,
            this.#card.element,
            this.#chartError.element
          ),
          h(
            'section',
            { class: 'panel signals-panel', 'aria-label': 'MACD and buy/sell pressure' },
            this.#macdPane,
            h(
              'div',
              { class: 'signal-pane' },
              h(
                'div',
                { class: 'signal-label', title: '(buy − sell) / (buy + sell) taker volume per candle' },
                'Buy/sell pressure · bars up: buyers took more, down: sellers'
              ),
              this.#pressureHost
            )
          )
        ),
        h(
          'aside',
          { class: 'symbol-side' },
          h('section', { class: 'panel' }, this.#quote.element),
          h(
            'section',
            { class: 'panel tape-panel' },
            h('h2', { class: 'panel-title' }, 'Trades'),
            this.#tape.element,
            this.#tapeError.element
          ),
          h(
            'section',
            { class: 'panel' },
            h('h2', { class: 'panel-title' }, `${this.#coin} news`),
            this.#news.element
          )
        )
      )
    )
    void context.symbols
      .list()
      .catch(() => [])
      .then(entries => toolbarSlot.replaceChildren(this.#toolbar(entries.map(e => e.symbol))))
    toolbarSlot.append(this.#toolbar([]))
  }

  override mount(): void {
    // Reads go out first; the chart is built while they travel (it takes a frame or two).
    super.mount()
    const chart = new PriceChart(this.#host)
    this.#chart = chart
    this.#markers = new NewsMarkers(chart.candleSeries, this.#markerColors())
    chart.setOverlays(this.#overlays)
    const signals = new SignalCharts(this.#macdHost, this.#pressureHost)
    this.#signals = signals
    this.#macdPane.hidden = !this.#overlays.has('macd')
    chart.onVisibleTimes((from, to) => signals.follow(from, to))
    chart.onNeedOlder(() => void this.#loadOlder())
    // The panes hold what the chart's library holds; new data there must not move their view.
    chart.onWindowChange(() => {
      signals.setHistory(chart.heldBars(), this.#macdSeries(chart))
      this.#host.dataset.held = String(chart.heldCount)
      const range = chart.visibleTimes()
      if (range !== undefined) signals.follow(range.from, range.to)
    })
    // What the view shows, on the element: for people inspecting the page and for the tests.
    chart.onVisibleTimes((from, to) => {
      this.#host.dataset.visibleFrom = toIso(from * 1000)
      this.#host.dataset.visibleTo = toIso(to * 1000)
    })
    // The one thing the tests cannot read from the page otherwise: the RSI pane's scale is drawn on a
    // canvas, with no text to read. A function, so it answers with what the library shows now.
    Object.assign(this.#host, { rsiScale: () => chart.rsiScale() })
    chart.onCrosshair(param => {
      const time = typeof param.time === 'number' ? param.time : undefined
      this.#hovered = time
      this.#queueLegend()
      const articles =
        time === undefined || !this.#overlays.has('news') ? [] : (this.#markers?.articlesAt(time) ?? [])
      if (articles.length === 0 || param.point === undefined) this.#card.hide()
      else this.#card.show(articles, param.point.x, this.#host.clientWidth)
    })
  }

  override dispose(): void {
    super.dispose()
    this.#chart?.dispose()
    this.#signals?.dispose()
  }

  override themeChanged(): void {
    this.#chart?.applyTheme()
    this.#signals?.applyTheme()
    this.#markers?.setColors(this.#markerColors())
    this.#queueLegend()
  }

  override tick(): void {
    this.#news.tick()
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    const param = this.context.route().params.get('interval')
    this.#interval = isInterval(param) ? param : '1m'
    this.#olderState = 'idle'
    const { symbol, coin } = { symbol: this.#symbol, coin: this.#coin }
    const interval = this.#interval
    this.#host.dataset.interval = interval
    this.#legend.setTitle(`${symbol} · ${interval}`)
    this.#listenAll(feed)
    if (feed.mode === 'live')
      signal.addEventListener(
        'abort',
        onHistoryLoaded(() => this.reload())
      )
    const history = Math.max(
      1,
      Number(this.context.route().params.get('history') ?? DEFAULT_HISTORY) || DEFAULT_HISTORY
    )
    const to = snapshotTo(feed, interval)
    const trades = retrying(
      'trades',
      s => getJson<{ trades: Trade[] }>('/api/trades', { symbol, limit: 40, to: snapshotTo(feed) }, s),
      this.#tapeError,
      signal
    )
    const page = await retrying(
      'candles',
      s =>
        getJson<CandlesPage>(
          '/api/candles',
          { symbol, interval, limit: history, to, indicators: IndicatorNames.join(',') },
          s
        ),
      this.#chartError,
      signal
    )
    const chart = this.#chart
    const markers = this.#markers
    if (page === undefined || chart === undefined || markers === undefined) return
    chart.setHistory(page.candles.map(toBar), indicatorsOf(page))
    this.#signals?.setHistory(chart.heldBars(), this.#macdSeries(chart))
    this.#legend.setExchangeCandles(chart.hasExchangeBars())
    this.#afterBarsChanged()
    this.#markFirstDraw(page.candles.length)
    if (feed.mode === 'live') {
      // The symbol list (with each market's last ticker) is read as the view opens; wait for it
      // rather than find it still empty and leave the quote blank until the next ticker.
      const entries = await this.context.symbols.list(signal).catch(() => [])
      const entry = entries.find(e => e.symbol === symbol)
      if (entry?.ticker && !signal.aborted) this.#quote.setTicker(entry.ticker)
    } else this.#showReplayClose(chart)
    markers.reset(interval, time => chart.bars.at(time) !== undefined)
    const first = page.candles[0]
    const moment = snapshotTo(feed)
    const articles = await retrying(
      'news',
      s =>
        getJson<{ articles: Article[] }>(
          '/api/articles',
          { coin, limit: 200, to: moment, asOf: moment, from: first?.bucket },
          s
        ),
      this.#chartError,
      signal
    )
    markers.add(articles?.articles ?? [])
    markers.setVisible(this.#overlays.has('news'))
    this.#news.set(articles?.articles ?? [])
    this.#tape.set((await trades)?.trades ?? [])
    this.ready()
  }

  /** Handlers run after the snapshot is drawn (View.ready), so the chart exists by then. */
  #listenAll(feed: Feed): void {
    const { symbol, coin } = { symbol: this.#symbol, coin: this.#coin }
    this.listen(feed, `candles:${symbol}:${this.#interval}`, event => {
      const chart = this.#chart
      if (chart === undefined) return
      for (const candle of event.data as Candle[]) {
        chart.updateBar(toBar(candle))
        this.#signals?.updateBar(toBar(candle))
      }
      this.#afterBarsChanged()
      if (feed.mode === 'replay') this.#showReplayClose(chart)
    })
    this.listen(feed, `indicators:${symbol}:${this.#interval}`, event => {
      for (const item of event.data as IndicatorUpdate[]) {
        this.#chart?.updateIndicators(toChartTime(item.bucket), item.values)
        this.#signals?.updateIndicators(toChartTime(item.bucket), item.values)
      }
      this.#liveDraw.request()
    })
    this.listen(feed, `trades:${symbol}`, event => {
      const trades = event.data as Trade[]
      this.#tape.add(trades)
      const newest = this.#tape.trades[0]
      if (feed.mode === 'live' && newest !== undefined && trades.includes(newest))
        this.#quote.setTrade(newest.price)
    })
    this.listen(feed, `tickers:${symbol}`, event => this.#quote.setTicker(event.data as Ticker))
    this.listen(feed, 'articles', event => {
      const article = this.#scores.apply(event.data as Article)
      if (!article.coins.some(c => c.code === coin)) return
      this.#markers?.add([article])
      this.#markers?.redraw()
      this.#news.add(article)
    })
    this.listen(feed, 'sentiment', event => {
      const score = this.#scores.record(event)
      if (score === undefined) return
      if (this.#markers?.score(score.articleId, score) === true) this.#markers.redraw()
      this.#news.score(score.articleId, score)
    })
    // The move after each article, for the news card (read when a bar is hovered: no redraw).
    this.listen(feed, `impact:${symbol}`, event => this.#markers?.impact(event.data as ImpactUpdate[]))
  }

  async #loadOlder(): Promise<void> {
    const chart = this.#chart
    const first = chart?.bars.first
    if (chart === undefined || first === undefined || this.#olderState !== 'idle') return
    this.#olderState = 'loading'
    this.#host.dataset.loadingOlder = 'true'
    const symbol = this.#symbol
    const interval = this.#interval
    try {
      const to = toIso(first.time * 1000)
      const page = await getJson<CandlesPage>('/api/candles', {
        symbol,
        interval,
        limit: OLDER_PAGE,
        to,
        indicators: IndicatorNames.join(',')
      })
      if (interval !== this.#interval || symbol !== this.#symbol) return
      chart.prependHistory(page.candles.map(toBar), indicatorsOf(page))
      this.#signals?.setHistory(chart.heldBars(), this.#macdSeries(chart))
      this.#legend.setExchangeCandles(chart.hasExchangeBars())
      this.#afterBarsChanged()
      const oldest = page.candles[0]
      if (oldest !== undefined) {
        const news = await getJson<{ articles: Article[] }>('/api/articles', {
          coin: this.#coin,
          from: oldest.bucket,
          to,
          asOf: snapshotTo(this.context.feed()),
          limit: 200
        })
        this.#markers?.add(news.articles)
        this.#markers?.redraw()
      }
      this.#olderState = page.candles.length < OLDER_PAGE ? 'done' : 'idle'
    } catch {
      // The shell shows an outage; scrolling back again retries.
      this.#olderState = 'idle'
    } finally {
      delete this.#host.dataset.loadingOlder
    }
  }

  #afterBarsChanged(): void {
    this.#liveDraw.request()
  }

  /**
   * What the stream changed, at the live drawing pace: the host's data (each attribute write
   * restyles) and the legend.
   */
  #drawLive(): void {
    const chart = this.#chart
    if (chart === undefined) return
    this.#host.dataset.bars = String(chart.bars.length)
    this.#host.dataset.held = String(chart.heldCount)
    const last = chart.bars.last
    if (last !== undefined) this.#host.dataset.lastTime = toIso(last.time * 1000)
    this.#drawLegend()
  }

  #showReplayClose(chart: PriceChart): void {
    const last = chart.bars.last
    if (last !== undefined)
      this.#quote.setClose(last.close, `Last close as of ${formatMoment(this.context.time.now())}`)
  }

  /** The first candles on screen: the mark the benchmark measures time to first render by. */
  #markFirstDraw(count: number): void {
    if (this.#firstDrawn || count === 0) return
    this.#firstDrawn = true
    requestAnimationFrame(() => performance.mark('cv:first-candles'))
  }

  #queueLegend(): void {
    this.#legendDraw.request()
  }

  #drawLegend(): void {
    const chart = this.#chart
    if (chart === undefined) return
    const bars = chart.bars
    const time = this.#hovered ?? bars.last?.time
    const index = time === undefined ? -1 : bars.indexOf(time)
    const bar: Bar | undefined = bars.items[index]
    const previous = bars.items[index - 1]
    const values = legendValues(chart, this.#overlays, time, chart.colors)
    this.#legend.show(bar, previous?.close, values)
  }

  #toolbar(symbols: string[]): HTMLElement {
    return chartToolbar({
      symbol: this.#symbol,
      symbols,
      interval: isInterval(this.context.route().params.get('interval'))
        ? (this.context.route().params.get('interval') as Interval)
        : '1m',
      overlays: this.#overlays,
      onSymbol: symbol => this.context.navigate('symbol', { symbol, params: { interval: this.#interval } }),
      onInterval: interval => {
        this.context.setParams({ interval })
        for (const button of this.element.querySelectorAll<HTMLElement>('.intervals button'))
          button.setAttribute('aria-pressed', String(button.dataset.interval === interval))
        this.reload()
      },
      onOverlays: overlays => {
        this.#overlays = new Set(overlays)
        this.#chart?.setOverlays(overlays)
        this.#macdPane.hidden = !overlays.has('macd')
        this.#markers?.setVisible(overlays.has('news'))
        this.#queueLegend()
      }
    })
  }

  /** The MACD values at the bars the price chart's library holds, as the signal panes take them. */
  #macdSeries(chart: PriceChart): Record<string, { time: number; value: number }[]> {
    const out: Record<string, { time: number; value: number }[]> = {}
    const held = chart.heldBars()
    for (const name of Overlays.macd)
      out[name] = held.flatMap(bar => {
        const value = chart.indicatorAt(name, bar.time)
        return value === undefined ? [] : [{ time: bar.time, value }]
      })
    return out
  }

  #markerColors() {
    const c = readChartColors()
    return { positive: c.up, negative: c.down, neutral: c.accent }
  }
}
