/**
 * Article scores heard on the `sentiment` channel, kept for a while: the analytics job may score an
 * article before the ingest job announces the article itself (both read the same topic), so a view
 * looks a fresh article's score up here instead of waiting for one that already went by.
 */
import type { Article, ArticleScore, ArticleSentiment, LiveEvent } from './types.ts'

const KEEP = 500

export class RecentScores {
  readonly #scores = new Map<string, ArticleSentiment>()

  /** The score an event carries, if it is an article score (not an index point); remembered. */
  record(event: LiveEvent): (ArticleSentiment & { articleId: string }) | undefined {
    const data = event.data as Partial<ArticleScore>
    if (
      typeof data.articleId !== 'string' ||
      typeof data.label !== 'string' ||
      typeof data.score !== 'number'
    )
      return undefined
    const sentiment: ArticleSentiment = { score: data.score, label: data.label }
    this.#scores.set(data.articleId, sentiment)
    if (this.#scores.size > KEEP) this.#scores.delete(this.#scores.keys().next().value ?? '')
    return { ...sentiment, articleId: data.articleId }
  }

  /** The article with its score when one was heard before it. */
  apply(article: Article): Article {
    const sentiment = this.#scores.get(article.id)
    return sentiment === undefined || article.sentiment ? article : { ...article, sentiment }
  }
}
