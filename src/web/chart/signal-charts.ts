/**
 * The two panes under the price chart: MACD (line, signal, histogram) and buy/sell pressure (the
 * imbalance of each candle as a histogram, buys up and sells down). Each is a small chart of its
 * own whose visible time range follows the price chart's, so the three read as one; both are fed
 * by the symbol view from the candles and indicator values it already reads and streams. A bar
 * with no value here (the exchange's own candles carry no taker split, and no indicators are
 * computed over them) is kept as an empty slot, so the panes' time scales line up with the chart's.
 * The panes hold the bars the price chart hands its library (its window, chart-window.ts), never the
 * whole model: the library's cost per live update grows with the bars a series holds.
 */
import {
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  type Time,
  type UTCTimestamp,
  createChart
} from 'lightweight-charts'
import type { Bar } from './bars.ts'
import { type ChartColors, chartOptions, readChartColors } from './chart-theme.ts'
import { FrameBatch, FrameScheduler, LIVE_DRAW_INTERVAL_MS } from './frame-batch.ts'
import { Overlays } from './indicator-names.ts'

interface Point {
  time: number
  value: number
}

const asTime = (seconds: number): Time => seconds as UTCTimestamp

/** (buy − sell) / (buy + sell) of a bar, or undefined when it carries no per-side volume. */
export function imbalanceOf(bar: Bar): number | undefined {
  const { buyVolume, sellVolume } = bar
  if (buyVolume === undefined || sellVolume === undefined || buyVolume + sellVolume <= 0) return undefined
  return (buyVolume - sellVolume) / (buyVolume + sellVolume)
}

function smallChart(host: HTMLElement, colors: ChartColors): IChartApi {
  const chart = createChart(host, chartOptions(colors))
  chart.applyOptions({ timeScale: { visible: false }, handleScroll: false, handleScale: false })
  return chart
}

export class SignalCharts {
  readonly #macd: IChartApi
  readonly #pressure: IChartApi
  readonly #line: ISeriesApi<'Line'>
  readonly #signal: ISeriesApi<'Line'>
  readonly #hist: ISeriesApi<'Histogram'>
  readonly #imbalance: ISeriesApi<'Histogram'>
  readonly #values = new Map<string, Map<number, number>>()
  /** The times of the bars without indicator values, as empty slots of the MACD pane. */
  #emptySlots: number[] = []
  /** The time of the first bar the panes hold; older values and bars are left out. */
  #from = -Infinity
  #colors: ChartColors
  // Live changes are drawn with the price chart's pace (frame-batch.ts): each draw repaints a pane.
  readonly #barBatch = new FrameBatch<number, Bar>(bars => this.#applyBars(bars), LIVE_DRAW_INTERVAL_MS)
  readonly #macdDraw = new FrameScheduler(() => this.#drawMacd(), LIVE_DRAW_INTERVAL_MS)

  readonly #hosts: readonly HTMLElement[]

  constructor(macdHost: HTMLElement, pressureHost: HTMLElement) {
    this.#hosts = [macdHost, pressureHost]
    this.#colors = readChartColors()
    this.#macd = smallChart(macdHost, this.#colors)
    this.#pressure = smallChart(pressureHost, this.#colors)
    const quiet = { priceLineVisible: false, lastValueVisible: false }
    this.#hist = this.#macd.addSeries(HistogramSeries, { ...quiet })
    this.#line = this.#macd.addSeries(LineSeries, { ...quiet, lineWidth: 1 })
    this.#signal = this.#macd.addSeries(LineSeries, { ...quiet, lineWidth: 1, lineStyle: 2 })
    this.#imbalance = this.#pressure.addSeries(HistogramSeries, {
      ...quiet,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      // Imbalance lives on −1…1: a fixed scale keeps buckets comparable across the view.
      autoscaleInfoProvider: () => ({ priceRange: { minValue: -1, maxValue: 1 } })
    })
    this.applyTheme()
  }

  /**
   * Replaces both panes' data (a new symbol, interval or moment, or the price chart's window moved):
   * `bars` are the bars the price chart holds; indicator values before the first are left out.
   */
  setHistory(bars: readonly Bar[], indicators: Record<string, Point[]>): void {
    this.#barBatch.clear()
    this.#values.clear()
    this.#from = bars[0]?.time ?? -Infinity
    for (const name of Overlays.macd) {
      const points = new Map<number, number>()
      for (const p of indicators[name] ?? []) if (p.time >= this.#from) points.set(p.time, p.value)
      this.#values.set(name, points)
    }
    const valued = new Set((indicators[Overlays.macd[0]] ?? []).map(p => p.time))
    this.#emptySlots = bars.filter(bar => !valued.has(bar.time)).map(bar => bar.time)
    this.#drawMacd()
    this.#imbalance.setData(bars.map(bar => this.#pressurePoint(bar) ?? { time: asTime(bar.time) }))
    // How many bars each pane was given, on its element: for people inspecting the page and the tests.
    for (const host of this.#hosts) host.dataset.bars = String(bars.length)
  }

  updateBar(bar: Bar): void {
    if (bar.time >= this.#from) this.#barBatch.set(bar.time, bar)
  }

  #applyBars(bars: Map<number, Bar>): void {
    for (const bar of [...bars.values()].sort((a, b) => a.time - b.time)) {
      const point = this.#pressurePoint(bar)
      if (point === undefined) continue
      try {
        this.#imbalance.update(point, true)
      } catch {
        // Older than the pane's first point: the next history load draws it.
      }
    }
  }

  updateIndicators(time: number, values: Record<string, number>): void {
    if (time < this.#from) return
    let changed = false
    for (const name of Overlays.macd) {
      const value = values[name]
      if (value === undefined) continue
      this.#values.get(name)?.set(time, value)
      changed = true
    }
    if (changed) this.#macdDraw.request()
  }

  /** Follows the price chart: the same time range on screen. */
  follow(from: number, to: number): void {
    for (const chart of [this.#macd, this.#pressure]) {
      try {
        chart.timeScale().setVisibleRange({ from: asTime(from), to: asTime(to) })
      } catch {
        // No data yet: nothing to align.
      }
    }
  }

  applyTheme(): void {
    const c = (this.#colors = readChartColors())
    for (const chart of [this.#macd, this.#pressure]) {
      chart.applyOptions(chartOptions(c))
      chart.applyOptions({ timeScale: { visible: false } })
    }
    this.#line.applyOptions({ color: c.accent })
    this.#signal.applyOptions({ color: c.rsi })
    this.#drawMacd()
  }

  dispose(): void {
    this.#macd.remove()
    this.#pressure.remove()
  }

  #pressurePoint(bar: Bar) {
    const value = imbalanceOf(bar)
    if (value === undefined) return undefined
    return { time: asTime(bar.time), value, color: value >= 0 ? this.#colors.up : this.#colors.down }
  }

  #drawMacd(): void {
    const [lineName, signalName, histName] = Overlays.macd
    const values = (name: string): Map<number, number> => this.#values.get(name) ?? new Map<number, number>()
    // Points and empty slots in time order (an empty slot never shares a time with a value).
    const sorted = (name: string): (Point | { time: number })[] => {
      const own = values(name)
      return [
        ...[...own].map(([time, value]) => ({ time, value })),
        ...this.#emptySlots.filter(time => !own.has(time)).map(time => ({ time }))
      ].sort((a, b) => a.time - b.time)
    }
    const plain = (p: Point | { time: number }) =>
      'value' in p ? { time: asTime(p.time), value: p.value } : { time: asTime(p.time) }
    this.#line.setData(sorted(lineName).map(plain))
    this.#signal.setData(sorted(signalName).map(plain))
    this.#hist.setData(
      sorted(histName).map(p =>
        'value' in p
          ? {
              time: asTime(p.time),
              value: p.value,
              color: p.value >= 0 ? this.#colors.upVolume : this.#colors.downVolume
            }
          : { time: asTime(p.time) }
      )
    )
  }
}
