/**
 * A coin's sentiment index over time (the analytics job's rolling EWMA of article scores, -1 … +1):
 * a baseline chart, green above zero and red below, with the hourly article count as faint bars.
 * Live index points arrive on `sentiment:<COIN>` and update the chart in place.
 */
import {
  BaselineSeries,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
  createChart
} from 'lightweight-charts'
import type { SentimentPoint } from '../data/types.ts'
import { withAlpha } from '../lib/color.ts'
import { toChartTime } from '../lib/time.ts'
import { chartOptions, readChartColors } from '../chart/chart-theme.ts'

export class SentimentChart {
  readonly #chart: IChartApi
  readonly #index: ISeriesApi<'Baseline'>
  readonly #count: ISeriesApi<'Histogram'>
  #points = new Map<number, SentimentPoint>()

  constructor(container: HTMLElement) {
    this.#chart = createChart(container, chartOptions(readChartColors()))
    this.#count = this.#chart.addSeries(HistogramSeries, {
      priceScaleId: 'count',
      priceLineVisible: false,
      lastValueVisible: false,
      priceFormat: { type: 'volume' }
    })
    // Article counts as faint bars along the bottom, behind the index line.
    this.#chart.priceScale('count').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } })
    this.#index = this.#chart.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      lineWidth: 2,
      priceFormat: { type: 'price', precision: 3, minMove: 0.001 },
      autoscaleInfoProvider: () => ({ priceRange: { minValue: -1, maxValue: 1 } })
    })
    this.applyTheme()
  }

  get size(): number {
    return this.#points.size
  }

  set(points: readonly SentimentPoint[]): void {
    this.#points = new Map(points.map(p => [toChartTime(p.bucket), p]))
    const sorted = [...this.#points].sort(([a], [b]) => a - b)
    this.#index.setData(sorted.map(([time, p]) => ({ time: time as UTCTimestamp, value: p.indexValue })))
    this.#count.setData(sorted.map(([time, p]) => ({ time: time as UTCTimestamp, value: p.articles })))
    this.#chart.timeScale().fitContent()
  }

  update(point: SentimentPoint): void {
    const time = toChartTime(point.bucket)
    const last = Math.max(-Infinity, ...this.#points.keys())
    this.#points.set(time, point)
    if (time < last) return this.set([...this.#points.values()])
    this.#index.update({ time: time as UTCTimestamp, value: point.indexValue })
    this.#count.update({ time: time as UTCTimestamp, value: point.articles })
  }

  latest(): SentimentPoint | undefined {
    const last = Math.max(-Infinity, ...this.#points.keys())
    return this.#points.get(last)
  }

  applyTheme(): void {
    const c = readChartColors()
    this.#chart.applyOptions({
      ...chartOptions(c),
      rightPriceScale: { borderColor: c.border, scaleMargins: { top: 0.08, bottom: 0.08 } }
    })
    this.#index.applyOptions({
      topLineColor: c.up,
      topFillColor1: withAlpha(c.up, 0.28),
      topFillColor2: withAlpha(c.up, 0.02),
      bottomLineColor: c.down,
      bottomFillColor1: withAlpha(c.down, 0.02),
      bottomFillColor2: withAlpha(c.down, 0.28)
    })
    this.#count.applyOptions({ color: withAlpha(c.accent, 0.35) })
  }

  dispose(): void {
    this.#chart.remove()
  }
}
