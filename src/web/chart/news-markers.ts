/**
 * News on the price chart: one marker per bar that has articles about the coin, coloured by their
 * mean sentiment, at the bar containing their publication time. Markers are capped (the newest
 * MAX_MARKERS bars with news) because every marker costs work on every repaint.
 */
import {
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
  createSeriesMarkers
} from 'lightweight-charts'
import type { Article } from '../data/types.ts'
import { type Interval, bucketStart, toMs } from '../lib/time.ts'

export const MAX_MARKERS = 300
/**
 * Mean scores closer to 0 than this are drawn neutral: the analytics job's neutral band
 * (src/jobs/analytics/sentiment/score.ts), so a marker has the colour of the labels the card shows.
 */
export const NEUTRAL_BAND = 0.1

export interface MarkerColors {
  positive: string
  negative: string
  neutral: string
}

export function meanScore(articles: readonly Article[]): number | undefined {
  const scores = articles.flatMap(a => (a.sentiment ? [a.sentiment.score] : []))
  return scores.length === 0 ? undefined : scores.reduce((a, b) => a + b, 0) / scores.length
}

export class NewsMarkers {
  readonly #plugin: ISeriesMarkersPluginApi<Time>
  readonly #byBar = new Map<number, Map<string, Article>>()
  #interval: Interval = '1m'
  #visible = true
  #colors: MarkerColors
  #hasBar: (time: number) => boolean = () => true

  constructor(series: ISeriesApi<'Candlestick'>, colors: MarkerColors) {
    this.#plugin = createSeriesMarkers(series, [])
    this.#colors = colors
  }

  /** Markers sit on bars: `hasBar` says whether a bar exists at a chart time. */
  reset(interval: Interval, hasBar: (time: number) => boolean): void {
    this.#interval = interval
    this.#hasBar = hasBar
    this.#byBar.clear()
    this.redraw()
  }

  add(articles: readonly Article[]): void {
    for (const article of articles) {
      const time = bucketStart(toMs(article.publishedAt), this.#interval) / 1000
      let bar = this.#byBar.get(time)
      if (bar === undefined) {
        bar = new Map()
        this.#byBar.set(time, bar)
      }
      bar.set(article.id, { ...bar.get(article.id), ...article })
    }
  }

  /** Sets a scored article's sentiment (scores follow articles on the live stream). */
  score(articleId: string, sentiment: NonNullable<Article['sentiment']>): boolean {
    for (const bar of this.#byBar.values()) {
      const article = bar.get(articleId)
      if (article !== undefined) {
        bar.set(articleId, { ...article, sentiment })
        return true
      }
    }
    return false
  }

  articlesAt(time: number): Article[] {
    return [...(this.#byBar.get(time)?.values() ?? [])].sort((a, b) =>
      b.publishedAt.localeCompare(a.publishedAt)
    )
  }

  setVisible(visible: boolean): void {
    this.#visible = visible
    this.redraw()
  }

  setColors(colors: MarkerColors): void {
    this.#colors = colors
    this.redraw()
  }

  redraw(): void {
    if (!this.#visible) return this.#plugin.setMarkers([])
    const times = [...this.#byBar.keys()].filter(time => this.#hasBar(time)).sort((a, b) => a - b)
    const markers: SeriesMarker<Time>[] = times.slice(-MAX_MARKERS).map(time => {
      const articles = this.articlesAt(time)
      const score = meanScore(articles)
      const color =
        score === undefined || Math.abs(score) < NEUTRAL_BAND
          ? this.#colors.neutral
          : score > 0
            ? this.#colors.positive
            : this.#colors.negative
      return {
        time: time as UTCTimestamp,
        position: 'aboveBar',
        shape: 'circle',
        color,
        size: articles.length > 1 ? 1.4 : 1,
        id: `news-${time}`
      }
    })
    this.#plugin.setMarkers(markers)
  }
}
