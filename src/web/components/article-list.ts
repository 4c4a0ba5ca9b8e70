/**
 * A list of news articles: source, age, headline (a link to the article when its URL is a web
 * address), the coins it mentions, the move after it (per tracked symbol, at 30 min; not in compact
 * lists) and its sentiment badge. Rows have a fixed height and the list a
 * fixed number of rows, so articles streaming in replace rows instead of pushing the page; a new row
 * is briefly highlighted.
 */
import type { Article, ArticleSentiment, ImpactUpdate } from '../data/types.ts'
import { h } from '../lib/dom.ts'
import { formatAgo, formatDateTime } from '../lib/format.ts'
import { webHref } from '../lib/safe-url.ts'
import { toMs } from '../lib/time.ts'
import { impactBrief } from './impact-line.ts'
import { sentimentBadge } from './sentiment-badge.ts'

type ArticleImpact = NonNullable<Article['impact']>[number]

/** Articles whose moves are kept while they have not come yet (a burst of news is a few dozen). */
const PENDING_MAX = 200

/** `moves` with `newer` in place of the moves of the same symbols. */
function mergeMoves(moves: readonly ArticleImpact[], newer: readonly ArticleImpact[]): ArticleImpact[] {
  const symbols = new Set(newer.map(m => m.symbol))
  return [...moves.filter(m => !symbols.has(m.symbol)), ...newer]
}

export interface ArticleListOptions {
  max: number
  compact?: boolean
  empty: string
}

export class ArticleList {
  readonly element: HTMLOListElement
  readonly #options: ArticleListOptions
  #articles: Article[] = []
  readonly #rows = new Map<string, HTMLElement>()
  /**
   * Moves that arrived before their article: the analytics job measures an article from the raw
   * topic while ingest stores it, so its impact event can overtake the article event. Kept for the
   * newest PENDING_MAX articles, applied when the article comes.
   */
  readonly #pendingImpact = new Map<string, ArticleImpact[]>()
  #now: () => number = () => Date.now()

  constructor(options: ArticleListOptions) {
    this.#options = options
    this.element = h('ol', {
      class: `article-list${options.compact === true ? ' compact' : ''}`,
      'data-empty': options.empty
    })
  }

  get articles(): readonly Article[] {
    return this.#articles
  }

  /** Ages are measured from this clock (the playhead when replaying). */
  setClock(now: () => number): void {
    this.#now = now
  }

  set(articles: readonly Article[]): void {
    this.#articles = [...articles].slice(0, this.#options.max)
    this.#rows.clear()
    this.element.replaceChildren(...this.#articles.map(article => this.#row(article, false)))
  }

  /** Adds or refreshes one article, in publication order; true when it is shown. */
  add(article: Article, fresh = true): boolean {
    const existing = this.#articles.findIndex(a => a.id === article.id)
    if (existing >= 0) {
      const merged = { ...this.#articles[existing], ...article } as Article
      this.#articles[existing] = merged
      this.#rows.get(article.id)?.replaceWith(this.#row(merged, false))
      return true
    }
    const pending = this.#pendingImpact.get(article.id)
    if (pending !== undefined) {
      this.#pendingImpact.delete(article.id)
      article = { ...article, impact: mergeMoves(article.impact ?? [], pending) }
    }
    const index = this.#articles.findIndex(a => a.publishedAt < article.publishedAt)
    const at = index < 0 ? this.#articles.length : index
    if (at >= this.#options.max) return false
    this.#articles.splice(at, 0, article)
    const row = this.#row(article, fresh)
    const next = this.element.children[at]
    if (next === undefined) this.element.append(row)
    else this.element.insertBefore(row, next)
    while (this.#articles.length > this.#options.max) {
      const dropped = this.#articles.pop()
      if (dropped !== undefined) this.#rows.get(dropped.id)?.remove()
      if (dropped !== undefined) this.#rows.delete(dropped.id)
    }
    return true
  }

  score(articleId: string, sentiment: ArticleSentiment): void {
    const article = this.#articles.find(a => a.id === articleId)
    if (article !== undefined) this.add({ ...article, sentiment })
  }

  /** The move after a listed article in one symbol, as recomputed (the live `impact` channel). */
  impact(update: ImpactUpdate): void {
    const { articleId, publishedAt: _publishedAt, ...move } = update
    const article = this.#articles.find(a => a.id === articleId)
    if (article !== undefined) {
      this.add({ ...article, impact: mergeMoves(article.impact ?? [], [move]) })
      return
    }
    this.#pendingImpact.set(articleId, mergeMoves(this.#pendingImpact.get(articleId) ?? [], [move]))
    if (this.#pendingImpact.size > PENDING_MAX) {
      const oldest = this.#pendingImpact.keys().next().value
      if (oldest !== undefined) this.#pendingImpact.delete(oldest)
    }
  }

  /** Refreshes the relative times. */
  tick(): void {
    for (const article of this.#articles) {
      const age = this.#rows.get(article.id)?.querySelector('.age')
      if (age) age.textContent = this.#age(article)
    }
  }

  #age(article: Article): string {
    return formatAgo(this.#now() - toMs(article.publishedAt))
  }

  /** The excerpt (the start of the page's text, else the summary) and a link to read the rest. */
  #teaser(article: Article, href: string | undefined): HTMLElement | null {
    const text = article.excerpt ?? article.summary
    if (text === '') return null
    const full = (article.contentLength ?? 0) > 0 && article.extraction?.status !== 'feed'
    return h(
      'p',
      { class: 'article-summary' },
      text,
      href === undefined ? null : ' ',
      href === undefined
        ? null
        : h(
            'a',
            {
              class: 'read-more',
              href,
              target: '_blank',
              rel: 'noopener noreferrer',
              title: full ? 'Excerpt of the article page' : 'Summary from the feed'
            },
            `Read at ${article.source} ↗`
          )
    )
  }

  #row(article: Article, fresh: boolean): HTMLElement {
    const coins = article.coins.slice(0, this.#options.compact === true ? 3 : 6)
    // The feed's URL is a link only if it is a web address (lib/safe-url.ts); else the headline is text.
    const href = webHref(article.url)
    const row = h(
      'li',
      { class: `article${fresh ? ' is-new' : ''}`, 'data-id': article.id },
      h(
        'div',
        { class: 'article-meta' },
        h('span', { class: 'source' }, article.source),
        h(
          'time',
          { class: 'age', datetime: article.publishedAt, title: formatDateTime(toMs(article.publishedAt)) },
          this.#age(article)
        ),
        h(
          'span',
          { class: 'coins' },
          ...coins.map(c => h('span', { class: `coin${c.inTitle ? ' in-title' : ''}` }, c.code))
        ),
        this.#options.compact === true ? null : impactBrief(article.impact ?? []),
        sentimentBadge(article.sentiment)
      ),
      href === undefined
        ? h('span', { class: 'article-title' }, article.title)
        : h(
            'a',
            { class: 'article-title', href, target: '_blank', rel: 'noopener noreferrer' },
            article.title
          ),
      this.#options.compact === true ? null : this.#teaser(article, href)
    )
    this.#rows.set(article.id, row)
    return row
  }
}
