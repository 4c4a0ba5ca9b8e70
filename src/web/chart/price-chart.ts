/**
 * The symbol chart: a facade over lightweight-charts and a small model (sorted series of bars and of
 * each indicator). History goes in with `setHistory`/`prependHistory` (one `setData` per load); the
 * live path is `updateBar`/`updateIndicators`, which call the series' `update()` for the forming
 * bar and touch nothing else, so 50 updates a second cost 50 small updates, not 50 redraws of
 * 100,000 bars. Overlays: SMA, EMA, Bollinger (the analytics job's values), session VWAP (computed
 * here from the candles' quote volume), RSI in its own pane.
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
import { type ChartColors, chartOptions, readChartColors } from './chart-theme.ts'
import { type OverlayName, Overlays } from './indicator-names.ts'
import { type Change, SortedSeries } from './sorted-series.ts'

type Line = ISeriesApi<'Line'>
interface Value {
  time: number
  value: number
}

const asTime = (seconds: number): UTCTimestamp => seconds as UTCTimestamp
const line = <T extends Value>(points: readonly T[]) =>
  points.map(p => ({ time: asTime(p.time), value: p.value }))
/** Older history is asked for when fewer than this many bars are left of the visible range. */
const LOAD_OLDER_MARGIN = 40

export class PriceChart {
  readonly chart: IChartApi
  readonly bars = new SortedSeries<Bar>()
  readonly #indicators = new Map<string, SortedSeries<Value>>()
  readonly #candles: ISeriesApi<'Candlestick'>
  readonly #volume: ISeriesApi<'Histogram'>
  readonly #lines = new Map<string, Line>()
  readonly #vwap: Line
  #rsi: Line | undefined
  #colors: ChartColors
  #visible = new Set<OverlayName>()
  #decimals = -1
  #onNeedOlder: (() => void) | undefined

  constructor(container: HTMLElement) {
    this.#colors = readChartColors()
    this.chart = createChart(container, chartOptions(this.#colors))
    this.#candles = this.chart.addSeries(CandlestickSeries, {
      borderVisible: false,
      priceLineVisible: true,
      lastValueVisible: true
    })
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
    for (const name of [...Overlays.sma, ...Overlays.ema, ...Overlays.bollinger])
      this.#lines.set(name, this.chart.addSeries(LineSeries, { ...overlay, visible: false }))
    this.#vwap = this.chart.addSeries(LineSeries, { ...overlay, lineStyle: 2, visible: false })
    this.applyTheme()
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(range => this.#checkLeftEdge(range))
  }

  get candleSeries(): ISeriesApi<'Candlestick'> {
    return this.#candles
  }

  /** Called when the user scrolls or zooms near the oldest loaded bar. */
  onNeedOlder(handler: () => void): void {
    this.#onNeedOlder = handler
  }

  onCrosshair(handler: (param: MouseEventParams<Time>) => void): void {
    this.chart.subscribeCrosshairMove(handler)
  }

  /** Replaces everything: a new symbol, interval or moment. */
  setHistory(bars: readonly Bar[], indicators: Record<string, Value[]>): void {
    this.bars.reset(bars)
    this.#indicators.clear()
    for (const [name, points] of Object.entries(indicators)) this.#series(name).reset(points)
    this.#fitPrecision()
    this.#drawAll()
    this.chart.timeScale().scrollToRealTime()
  }

  /** Adds older history at the left, keeping what the user looks at in place. */
  prependHistory(bars: readonly Bar[], indicators: Record<string, Value[]>): number {
    const range = this.chart.timeScale().getVisibleLogicalRange()
    const added = this.bars.merge(bars)
    for (const [name, points] of Object.entries(indicators)) this.#series(name).merge(points)
    if (added === 0) return 0
    this.#drawAll()
    if (range !== null)
      this.chart.timeScale().setVisibleLogicalRange({ from: range.from + added, to: range.to + added })
    return added
  }

  /** The live path: one bar (usually the forming one) changed. */
  updateBar(bar: Bar): void {
    const change = this.bars.upsert(bar)
    if (this.#decimals < 0) this.#fitPrecision()
    if (change === 'insert') return this.#drawAll()
    const historical = change === 'replace-older'
    this.#candles.update({ ...bar, time: asTime(bar.time) }, historical)
    this.#volume.update(this.#volumePoint(bar), historical)
    if (this.#visible.has('vwap')) {
      const value = sessionVwapAt(this.bars.items, this.bars.indexOf(bar.time))
      if (value !== undefined) this.#vwap.update({ time: asTime(bar.time), value }, historical)
    }
  }

  updateIndicators(time: number, values: Record<string, number>): void {
    for (const [name, value] of Object.entries(values)) {
      const change: Change = this.#series(name).upsert({ time, value })
      const series = name === Overlays.rsi[0] ? this.#rsi : this.#lines.get(name)
      if (series === undefined || !this.bars.at(time)) continue
      if (change === 'insert') series.setData(line(this.#series(name).items))
      else series.update({ time: asTime(time), value }, change === 'replace-older')
    }
  }

  setOverlays(visible: ReadonlySet<OverlayName>): void {
    this.#visible = new Set(visible)
    for (const group of ['sma', 'ema', 'bollinger'] as const)
      for (const name of Overlays[group]) this.#lines.get(name)?.applyOptions({ visible: visible.has(group) })
    this.#vwap.applyOptions({ visible: visible.has('vwap') })
    if (visible.has('vwap')) this.#vwap.setData(line(sessionVwap(this.bars.items)))
    if (visible.has('rsi') && this.#rsi === undefined) this.#addRsi()
    if (!visible.has('rsi') && this.#rsi !== undefined) {
      this.chart.removeSeries(this.#rsi)
      this.#rsi = undefined
    }
  }

  /** An indicator's value at a bar, for the legend. */
  indicatorAt(name: string, time: number): number | undefined {
    return this.#indicators.get(name)?.at(time)?.value
  }

  vwapAt(time: number): number | undefined {
    return sessionVwapAt(this.bars.items, this.bars.indexOf(time))
  }

  applyTheme(): void {
    const c = (this.#colors = readChartColors())
    this.chart.applyOptions(chartOptions(c))
    this.#candles.applyOptions({ upColor: c.up, downColor: c.down, wickUpColor: c.up, wickDownColor: c.down })
    const colors: Record<string, string> = {
      sma_20: c.sma[0],
      sma_50: c.sma[1],
      ema_12: c.ema[0],
      ema_26: c.ema[1],
      bb_upper_20_2: c.bollinger,
      bb_middle_20_2: c.bollinger,
      bb_lower_20_2: c.bollinger
    }
    for (const [name, series] of this.#lines) series.applyOptions({ color: colors[name] ?? c.accent })
    this.#vwap.applyOptions({ color: c.vwap })
    this.#rsi?.applyOptions({ color: c.rsi })
    if (this.bars.length > 0) this.#volume.setData(this.bars.items.map(bar => this.#volumePoint(bar)))
  }

  dispose(): void {
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
    const color = bar.close >= bar.open ? this.#colors.upVolume : this.#colors.downVolume
    return { time: asTime(bar.time), value: bar.volume, color }
  }

  #drawAll(): void {
    const bars = this.bars.items
    this.#candles.setData(bars.map(bar => ({ ...bar, time: asTime(bar.time) })))
    this.#volume.setData(bars.map(bar => this.#volumePoint(bar)))
    for (const [name, series] of this.#lines) series.setData(line(this.#series(name).items))
    if (this.#visible.has('vwap')) this.#vwap.setData(line(sessionVwap(bars)))
    this.#rsi?.setData(line(this.#series(Overlays.rsi[0]).items))
  }

  #addRsi(): void {
    this.#rsi = this.chart.addSeries(
      LineSeries,
      {
        color: this.#colors.rsi,
        lineWidth: 1,
        priceLineVisible: false,
        priceFormat: { type: 'price', precision: 1, minMove: 0.1 }
      },
      1
    )
    for (const level of [70, 30])
      this.#rsi.createPriceLine({
        price: level,
        color: this.#colors.grid,
        lineWidth: 1,
        lineStyle: 2,
        axisLabelVisible: false
      })
    this.#rsi.setData(line(this.#series(Overlays.rsi[0]).items))
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

  #checkLeftEdge(range: LogicalRange | null): void {
    if (range !== null && range.from < LOAD_OLDER_MARGIN && this.bars.length > 0) this.#onNeedOlder?.()
  }
}
