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
import type { Article, ArticleImpact, ImpactUpdate } from '../data/types.ts'
import type { Interval } from '../../contract/vocabulary.ts'
import { bucketStart, toMs } from '../lib/time.ts'

export const MAX_MARKERS = 300
/** Moves announced before their article reached the chart, kept until it does (the oldest go first). */
const MAX_PENDING_MOVES = 500
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
  /** Per article id, moves that came on the live stream before the article. */
  readonly #pendingMoves = new Map<string, ArticleImpact[]>()

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
      const pending = this.#pendingMoves.get(article.id) ?? []
      this.#pendingMoves.delete(article.id)
      const merged = { ...bar.get(article.id), ...article }
      bar.set(article.id, pending.reduce(withMove, merged))
    }
  }

  /**
   * Sets the move after each article (the `impact` channel: recomputed as minutes close). A move
   * whose article is not on the chart yet waits for it: the two come from different jobs.
   */
  impact(updates: readonly ImpactUpdate[]): void {
    for (const { articleId, publishedAt: _publishedAt, ...move } of updates) {
      const found = [...this.#byBar.values()].find(bar => bar.has(articleId))
      const article = found?.get(articleId)
      if (found !== undefined && article !== undefined) {
        found.set(articleId, withMove(article, move))
        continue
      }
      const pending = this.#pendingMoves.get(articleId) ?? []
      this.#pendingMoves.delete(articleId)
      this.#pendingMoves.set(articleId, [...pending.filter(m => m.symbol !== move.symbol), move])
      if (this.#pendingMoves.size > MAX_PENDING_MOVES) {
        const oldest = this.#pendingMoves.keys().next().value
        if (oldest !== undefined) this.#pendingMoves.delete(oldest)
      }
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

/** The article with `move` in place of its earlier move in the same symbol. */
function withMove(article: Article, move: ArticleImpact): Article {
  return { ...article, impact: [...(article.impact ?? []).filter(m => m.symbol !== move.symbol), move] }
}
