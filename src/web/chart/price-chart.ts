/**
 * The symbol chart: a facade over lightweight-charts and a model (sorted series of bars and of each
 * indicator). History goes in with `setHistory`/`prependHistory` (one `setData` per load); the live
 * path is `updateBar`/`updateIndicators`, batched per animation frame (at most five a second:
 * frame-batch.ts) and applied with the series'
 * `update()`, never `setData()`. The library holds a window of the model (chart-window.ts) so a tick
 * costs the same with 100,000 bars loaded as with 500, and hidden overlays hold no data at all.
 * Overlays: SMA, EMA, Bollinger (the analytics job's values), session VWAP (computed here from the
 * candles' quote volume), RSI in its own pane. The exchange's own candles (history from before the
 * pipeline saw trades) are drawn in quieter colours, so the two stretches are told apart.
 */
import {
  CandlestickSeries,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
  LineSeries,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
  createChart
} from 'lightweight-charts'
import { formatFixed, priceDecimals } from '../lib/format.ts'
import { type Bar, sessionVwap, sessionVwapAt } from './bars.ts'
import { ChartWindow } from './chart-window.ts'
import { type ChartColors, chartOptions, readChartColors } from './chart-theme.ts'
import { FrameBatch, LIVE_DRAW_INTERVAL_MS } from './frame-batch.ts'
import { type OverlayName, Overlays } from './indicator-names.ts'
import { SortedSeries } from './sorted-series.ts'

type Line = ISeriesApi<'Line'>
interface Value {
  time: number
  value: number
}

const asTime = (seconds: number): UTCTimestamp => seconds as UTCTimestamp
const line = <T extends Value>(points: readonly T[]) =>
  points.map(p => ({ time: asTime(p.time), value: p.value }))
/** Older bars are handed over (or requested) when fewer than this many are left of the view. */
const EDGE_MARGIN = 40
const LINE_GROUPS = ['sma', 'ema', 'bollinger'] as const
const DEFAULT_BAR_SPACING = 6
const MAX_BAR_SPACING = 16

export class PriceChart {
  readonly chart: IChartApi
  readonly bars = new SortedSeries<Bar>()
  readonly #indicators = new Map<string, SortedSeries<Value>>()
  readonly #candles: ISeriesApi<'Candlestick'>
  readonly #volume: ISeriesApi<'Histogram'>
  readonly #lines = new Map<string, Line>()
  readonly #vwap: Line
  readonly #window = new ChartWindow()
  readonly #barBatch = new FrameBatch<number, Bar>(bars => this.#applyBars(bars), LIVE_DRAW_INTERVAL_MS)
  readonly #valueBatch = new FrameBatch<string, Value>(
    values => this.#applyValues(values),
    LIVE_DRAW_INTERVAL_MS
  )
  #rsi: Line | undefined
  #colors: ChartColors
  #visible = new Set<OverlayName>()
  #decimals = -1
  /** First and last bar times the library holds (the window). */
  #held = { first: Infinity, last: -Infinity, count: 0 }
  /** The newest time each overlay line holds, to tell a live value from a correction. */
  readonly #lineEnds = new Map<Line, number>()
  #onNeedOlder: (() => void) | undefined
  #onWindowChange: (() => void) | undefined
  #shrinkTimer: number | undefined

  constructor(container: HTMLElement) {
    this.#colors = readChartColors()
    this.chart = createChart(container, chartOptions(this.#colors))
    this.#candles = this.chart.addSeries(CandlestickSeries, { borderVisible: false })
    this.#volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false
    })
    // Volume in the bottom fifth, candles above it: the two never overlap.
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } })
    this.chart.priceScale('right').applyOptions({ scaleMargins: { top: 0.06, bottom: 0.22 } })
    const overlay = {
      lineWidth: 1 as const,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false
    }
    for (const name of LINE_GROUPS.flatMap(group => Overlays[group]))
      this.#lines.set(name, this.chart.addSeries(LineSeries, { ...overlay, visible: false }))
    this.#vwap = this.chart.addSeries(LineSeries, { ...overlay, lineStyle: 2, visible: false })
    this.applyTheme()
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(range => this.#onRange(range))
  }

  /** The theme's colours as last read (applyTheme): reading them again would force a style pass. */
  get colors(): ChartColors {
    return this.#colors
  }

  get candleSeries(): ISeriesApi<'Candlestick'> {
    return this.#candles
  }

  /** Called when the user scrolls or zooms past the oldest bar the model has. */
  onNeedOlder(handler: () => void): void {
    this.#onNeedOlder = handler
  }

  /**
   * Called when the user's panning grew the window or returning to the newest bars shrank it, so the
   * panes under the chart can hold the same bars (`heldBars`).
   */
  onWindowChange(handler: () => void): void {
    this.#onWindowChange = handler
  }

  /** The times at the view's edges (seconds), after each scroll or zoom. */
  onVisibleTimes(handler: (from: number, to: number) => void): void {
    this.chart.timeScale().subscribeVisibleTimeRangeChange(() => {
      const range = this.visibleTimes()
      if (range !== undefined) handler(range.from, range.to)
    })
  }

  /** The times at the view's edges now (seconds); undefined before the chart has data. */
  visibleTimes(): { from: number; to: number } | undefined {
    const range = this.chart.timeScale().getVisibleRange()
    return range !== null && typeof range.from === 'number' && typeof range.to === 'number'
      ? { from: range.from, to: range.to }
      : undefined
  }

  onCrosshair(handler: (param: MouseEventParams<Time>) => void): void {
    this.chart.subscribeCrosshairMove(handler)
  }

  /** Replaces everything: a new symbol, interval or moment. */
  setHistory(bars: readonly Bar[], indicators: Record<string, Value[]>): void {
    this.bars.reset(bars)
    this.#indicators.clear()
    for (const [name, points] of Object.entries(indicators)) this.#series(name).reset(points)
    this.#window.reset()
    this.#fitPrecision()
    this.#drawAll()
    // Few bars (a new market, a long interval) are drawn wider rather than lost in a corner.
    const width = this.chart.timeScale().width()
    if (width > 0 && bars.length > 0) {
      const spacing = Math.min(MAX_BAR_SPACING, Math.max(DEFAULT_BAR_SPACING, width / (bars.length + 8)))
      this.chart.timeScale().applyOptions({ barSpacing: spacing })
    }
    this.chart.timeScale().scrollToRealTime()
  }

  /** Adds older history at the left; the library keeps the view anchored where the user is. */
  prependHistory(bars: readonly Bar[], indicators: Record<string, Value[]>): number {
    const added = this.bars.merge(bars)
    for (const [name, points] of Object.entries(indicators)) this.#series(name).merge(points)
    if (added === 0) return 0
    this.#window.extend(added)
    this.#drawAll()
    return added
  }

  /** The live path: a bar (usually the forming one) changed; drawn with the next frame. */
  updateBar(bar: Bar): void {
    this.bars.upsert(bar)
    if (this.#decimals < 0) this.#fitPrecision()
    this.#barBatch.set(bar.time, bar)
  }

  updateIndicators(time: number, values: Record<string, number>): void {
    for (const [name, value] of Object.entries(values)) {
      this.#series(name).upsert({ time, value })
      this.#valueBatch.set(`${name}\u0000${time}`, { time, value })
    }
  }

  setOverlays(visible: ReadonlySet<OverlayName>): void {
    this.#visible = new Set(visible)
    for (const group of LINE_GROUPS)
      for (const name of Overlays[group]) this.#lines.get(name)?.applyOptions({ visible: visible.has(group) })
    this.#vwap.applyOptions({ visible: visible.has('vwap') })
    if (visible.has('rsi') && this.#rsi === undefined) this.#addRsi()
    if (!visible.has('rsi') && this.#rsi !== undefined) {
      this.chart.removeSeries(this.#rsi)
      this.#rsi = undefined
    }
    this.#drawOverlays()
  }

  /** An indicator's value at a bar, for the legend. */
  indicatorAt(name: string, time: number): number | undefined {
    return this.#indicators.get(name)?.at(time)?.value
  }

  /** The RSI pane's price range as the library scaled it; undefined while the pane is hidden. */
  rsiScale(): { from: number; to: number } | undefined {
    const range = this.#rsi?.priceScale().getVisibleRange()
    return range === null || range === undefined ? undefined : { from: range.from, to: range.to }
  }

  vwapAt(time: number): number | undefined {
    return sessionVwapAt(this.bars.items, this.bars.indexOf(time))
  }

  applyTheme(): void {
    const c = (this.#colors = readChartColors())
    this.chart.applyOptions(chartOptions(c))
    this.#candles.applyOptions({ upColor: c.up, downColor: c.down, wickUpColor: c.up, wickDownColor: c.down })
    const colors = [c.sma[0], c.sma[1], c.ema[0], c.ema[1], c.bollinger, c.bollinger, c.bollinger]
    ;[...this.#lines.values()].forEach((series, i) => series.applyOptions({ color: colors[i] ?? c.accent }))
    this.#vwap.applyOptions({ color: c.vwap })
    this.#rsi?.applyOptions({ color: c.rsi })
    if (this.bars.length > 0) {
      this.#candles.setData(this.heldBars().map(bar => this.#candlePoint(bar)))
      this.#volume.setData(this.heldBars().map(bar => this.#volumePoint(bar)))
    }
  }

  dispose(): void {
    clearTimeout(this.#shrinkTimer)
    this.chart.remove()
  }

  #series(name: string): SortedSeries<Value> {
    let series = this.#indicators.get(name)
    if (series === undefined) {
      series = new SortedSeries<Value>()
      this.#indicators.set(name, series)
    }
    return series
  }

  #volumePoint(bar: Bar) {
    const c = this.#colors
    const up = bar.close >= bar.open
    const color = bar.exchange
      ? up
        ? c.upVolumeExchange
        : c.downVolumeExchange
      : up
        ? c.upVolume
        : c.downVolume
    return { time: asTime(bar.time), value: bar.volume, color }
  }

  /** A candle as the library takes it; the exchange's own in its quieter colours. */
  #candlePoint(bar: Bar) {
    const point = { time: asTime(bar.time), open: bar.open, high: bar.high, low: bar.low, close: bar.close }
    if (!bar.exchange) return point
    const color = bar.close >= bar.open ? this.#colors.upExchange : this.#colors.downExchange
    return { ...point, color, wickColor: color, borderColor: color }
  }

  /** Whether any bar of the model is the exchange's own (the legend then says what they are). */
  hasExchangeBars(): boolean {
    return this.bars.items.some(bar => bar.exchange === true)
  }

  /** How many bars the library holds (the window's). */
  get heldCount(): number {
    return this.#held.count
  }

  /** The bars the library holds: the window's, from its first bar to the newest. */
  heldBars(): readonly Bar[] {
    return this.bars.items.slice(this.#window.start(this.bars.length))
  }

  /** The points of a model series from the window's first bar on. */
  #heldPoints(points: readonly Value[]): Value[] {
    if (this.#held.count === 0) return []
    const first = points.findIndex(p => p.time >= this.#held.first)
    return first < 0 ? [] : points.slice(first)
  }

  #drawAll(): void {
    this.#barBatch.clear()
    this.#valueBatch.clear()
    const held = this.heldBars()
    this.#held = {
      first: held[0]?.time ?? Infinity,
      last: held[held.length - 1]?.time ?? -Infinity,
      count: held.length
    }
    this.#candles.setData(held.map(bar => this.#candlePoint(bar)))
    this.#volume.setData(held.map(bar => this.#volumePoint(bar)))
    this.#drawOverlays()
  }

  /** Overlay lines get data only while shown: a hidden line would still cost every update. */
  #drawOverlays(): void {
    for (const group of LINE_GROUPS)
      for (const name of Overlays[group]) {
        const series = this.#lines.get(name)
        if (series !== undefined)
          this.#setLine(series, this.#visible.has(group) ? this.#heldPoints(this.#series(name).items) : [])
      }
    // The session VWAP of the first held bar needs the bars since 00:00 UTC before it.
    const start = Math.max(0, this.#window.start(this.bars.length) - 1440)
    this.#setLine(
      this.#vwap,
      this.#visible.has('vwap') ? this.#heldPoints(sessionVwap(this.bars.items.slice(start))) : []
    )
    if (this.#rsi !== undefined)
      this.#setLine(this.#rsi, this.#heldPoints(this.#series(Overlays.rsi[0]).items))
  }

  #applyBars(bars: Map<number, Bar>): void {
    if (this.#held.count === 0) return this.#drawAll()
    for (const bar of [...bars.values()].sort((a, b) => a.time - b.time)) {
      if (bar.time < this.#held.first) continue
      const historical = bar.time < this.#held.last
      if (historical && this.#held.count > 0 && !this.#holds(bar.time)) return this.#drawAll()
      this.#candles.update(this.#candlePoint(bar), historical)
      this.#volume.update(this.#volumePoint(bar), historical)
      if (this.#visible.has('vwap')) {
        const value = sessionVwapAt(this.bars.items, this.bars.indexOf(bar.time))
        if (value !== undefined) this.#vwap.update({ time: asTime(bar.time), value }, historical)
      }
      if (bar.time > this.#held.last)
        this.#held = { ...this.#held, last: bar.time, count: this.#held.count + 1 }
    }
  }

  #applyValues(values: Map<string, Value>): void {
    for (const [key, point] of [...values].sort(([, a], [, b]) => a.time - b.time)) {
      const name = key.slice(0, key.indexOf('\u0000'))
      const group = LINE_GROUPS.find(g => (Overlays[g] as readonly string[]).includes(name))
      const series =
        name === Overlays.rsi[0]
          ? this.#rsi
          : group !== undefined && this.#visible.has(group)
            ? this.#lines.get(name)
            : undefined
      if (series === undefined || !this.#holds(point.time)) continue
      const last = this.#lineEnds.get(series) ?? -Infinity
      try {
        series.update({ time: asTime(point.time), value: point.value }, point.time < last)
        this.#lineEnds.set(series, Math.max(last, point.time))
      } catch {
        // A value for an older bar the line had no point at (the library updates existing points only).
        this.#setLine(series, this.#heldPoints(this.#series(name).items))
      }
    }
  }

  #setLine(series: Line, points: readonly Value[]): void {
    series.setData(line(points))
    this.#lineEnds.set(series, points[points.length - 1]?.time ?? -Infinity)
  }

  /** Whether the library holds a bar at `time` (the window, after live updates). */
  #holds(time: number): boolean {
    return time >= this.#held.first && time <= this.#held.last && this.bars.at(time) !== undefined
  }

  #addRsi(): void {
    const rsi = this.chart.addSeries(
      LineSeries,
      {
        color: this.#colors.rsi,
        lineWidth: 1,
        priceLineVisible: false,
        priceFormat: { type: 'price', precision: 1, minMove: 0.1 },
        // RSI lives on 0…100; a fixed scale keeps the 30 and 70 lines in view.
        autoscaleInfoProvider: () => ({ priceRange: { minValue: 0, maxValue: 100 } })
      },
      1
    )
    for (const level of [70, 30])
      rsi.createPriceLine({
        price: level,
        color: this.#colors.grid,
        lineWidth: 1,
        lineStyle: 2,
        axisLabelVisible: false
      })
    this.#rsi = rsi
    this.chart.panes()[1]?.setStretchFactor(0.28)
    this.chart.panes()[0]?.setStretchFactor(1)
  }

  /** Price precision from the price's magnitude: 2 places for BTC, 6 for a cent coin. */
  #fitPrecision(): void {
    const last = this.bars.last
    if (last === undefined) return
    const decimals = priceDecimals(last.close)
    if (decimals === this.#decimals) return
    this.#decimals = decimals
    const format = {
      type: 'custom' as const,
      minMove: 10 ** -decimals,
      formatter: (price: number) => formatFixed(price, decimals)
    }
    this.#candles.applyOptions({ priceFormat: format })
    for (const series of [...this.#lines.values(), this.#vwap]) series.applyOptions({ priceFormat: format })
  }

  #onRange(range: LogicalRange | null): void {
    if (range === null || this.#held.count === 0) return
    clearTimeout(this.#shrinkTimer)
    if (range.from < EDGE_MARGIN) {
      if (this.#window.grow(this.bars.length)) {
        this.#drawAll()
        this.#onWindowChange?.()
      } else this.#onNeedOlder?.()
    } else if (this.#window.shouldShrink(range.from, this.#held.count)) {
      // Once the user has settled on the newest bars, hand the library its base window again.
      this.#shrinkTimer = window.setTimeout(() => {
        this.#window.reset()
        this.#drawAll()
        this.#onWindowChange?.()
      }, 1_500)
    }
  }
}
