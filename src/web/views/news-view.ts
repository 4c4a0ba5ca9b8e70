/**
 * News: the live feed of articles (source, time, coins, the move after each, sentiment badge)
 * filtered by coin, source and words, with older pages on request; beside it the sentiment index of
 * the chosen coin (or the whole market) over the last week. New articles, their scores and their
 * moves stream in; when replaying, they appear as the playhead reaches their publication time.
 */
import type { AppContext } from '../app/context.ts'
import { ArticleList } from '../components/article-list.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { SentimentChart } from '../components/sentiment-chart.ts'
import { type Feed, snapshotTo } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import { RecentScores } from '../data/recent-scores.ts'
import type { Article, ImpactUpdate, SentimentPoint } from '../data/types.ts'
import { h, setText } from '../lib/dom.ts'
import { View } from './view.ts'

const PAGE = 30
const WEEK_OF_HOURS = 168
interface ArticlesPage {
  articles: Article[]
  nextCursor: string | null
}

export class NewsView extends View {
  readonly #list = new ArticleList({ max: 500, empty: 'No articles match these filters' })
  readonly #listError = new InlineError()
  readonly #more = h(
    'button',
    { type: 'button', class: 'secondary load-more', hidden: true },
    'Older articles'
  )
  readonly #coin = h('select', { 'aria-label': 'Coin' })
  readonly #source = h('select', { 'aria-label': 'Source' })
  readonly #query = h('input', {
    type: 'search',
    placeholder: 'Search headlines',
    'aria-label': 'Search headlines',
    maxlength: 200
  })
  readonly #chartHost = h('div', { class: 'sentiment-host', 'data-testid': 'sentiment-chart' })
  readonly #chartTitle = h('h2', { class: 'panel-title' })
  readonly #indexValue = h('div', { class: 'sentiment-value' }, '—')
  readonly #chartError = new InlineError()
  readonly #scores = new RecentScores()
  #chart: SentimentChart | undefined
  #cursor: string | null = null
  /** The moment a past view looks at (undefined when live): older pages keep its moves. */
  #asOf: string | undefined

  constructor(context: AppContext) {
    super(context, 'news')
    this.#list.setClock(() => context.time.now())
    const filters = h(
      'form',
      { class: 'filters', role: 'search' },
      h('label', {}, h('span', {}, 'Coin'), this.#coin),
      h('label', {}, h('span', {}, 'Source'), this.#source),
      h('label', { class: 'grow' }, h('span', {}, 'Words'), this.#query)
    )
    filters.addEventListener('submit', event => event.preventDefault())
    for (const control of [this.#coin, this.#source])
      control.addEventListener('change', () => this.#applyFilters())
    this.#query.addEventListener('change', () => this.#applyFilters())
    this.#more.addEventListener('click', () => void this.#loadMore())
    this.element.append(
      h('h1', { class: 'visually-hidden' }, 'News'),
      filters,
      h(
        'div',
        { class: 'news-layout' },
        h(
          'section',
          { class: 'panel feed-panel', 'aria-label': 'Articles' },
          this.#list.element,
          this.#more,
          this.#listError.element
        ),
        h(
          'section',
          { class: 'panel sentiment-panel' },
          this.#chartTitle,
          this.#indexValue,
          this.#chartHost,
          this.#chartError.element
        )
      )
    )
  }

  override mount(): void {
    this.#chart = new SentimentChart(this.#chartHost)
    super.mount()
  }

  override dispose(): void {
    super.dispose()
    this.#chart?.dispose()
  }

  override themeChanged(): void {
    this.#chart?.applyTheme()
  }

  override tick(): void {
    this.#list.tick()
  }

  protected async load(feed: Feed, signal: AbortSignal): Promise<void> {
    const params = this.context.route().params
    const filter = {
      coin: params.get('coin') ?? undefined,
      source: params.get('source') ?? undefined,
      q: params.get('q') ?? undefined
    }
    const indexCoin = filter.coin ?? '*'
    setText(this.#chartTitle, `Sentiment index · ${indexCoin === '*' ? 'whole market' : indexCoin}`)
    this.#query.value = filter.q ?? ''
    this.listen(feed, 'articles', event => {
      const article = this.#scores.apply(event.data as Article)
      if (matches(article, filter)) this.#list.add(article)
    })
    this.listen(feed, 'sentiment', event => {
      const score = this.#scores.record(event)
      if (score !== undefined) this.#list.score(score.articleId, score)
    })
    // The move after each listed article, as minutes close (live article events carry none yet).
    this.listen(feed, 'impact', event => {
      for (const update of event.data as ImpactUpdate[]) this.#list.impact(update)
    })
    this.listen(feed, `sentiment:${indexCoin}`, event => {
      if (event.interval !== '1h') return
      for (const point of event.data as SentimentPoint[]) this.#chart?.update(point)
      this.#showIndex()
    })
    const to = snapshotTo(feed)
    void this.#fillFilters(filter, to, signal)
    const points = retrying(
      'the sentiment index',
      s =>
        getJson<{ points: SentimentPoint[] }>(
          '/api/sentiment',
          { coin: indexCoin, interval: '1h', limit: WEEK_OF_HOURS, to: snapshotTo(feed, '1h') },
          s
        ),
      this.#chartError,
      signal
    )
    const page = await retrying(
      'articles',
      // asOf: looking at a past moment, the moves after the articles are those known then.
      s => getJson<ArticlesPage>('/api/articles', { ...filter, limit: PAGE, to, asOf: to }, s),
      this.#listError,
      signal
    )
    if (page === undefined) return
    this.#list.set(page.articles)
    this.#cursor = page.nextCursor
    this.#asOf = to
    this.#more.hidden = page.nextCursor === null
    this.#chart?.set((await points)?.points ?? [])
    this.#showIndex()
    this.ready()
  }

  #showIndex(): void {
    const latest = this.#chart?.latest()
    this.#indexValue.className = `sentiment-value ${latest === undefined ? '' : latest.indexValue > 0.05 ? 'up' : latest.indexValue < -0.05 ? 'down' : 'flat'}`
    setText(
      this.#indexValue,
      latest === undefined
        ? 'No scored articles yet'
        : `${latest.indexValue >= 0 ? '+' : '−'}${Math.abs(latest.indexValue).toFixed(3)} · ${latest.articles} article${latest.articles === 1 ? '' : 's'} this hour`
    )
  }

  async #fillFilters(
    filter: { coin?: string | undefined; source?: string | undefined },
    to: string | undefined,
    signal: AbortSignal
  ): Promise<void> {
    const recent = await getJson<ArticlesPage>('/api/articles', { limit: 200, to }, signal).catch(
      () => undefined
    )
    const coins = new Set([
      ...this.context.symbols.coins,
      ...(recent?.articles.flatMap(a => a.coins.map(c => c.code)) ?? [])
    ])
    const sources = new Set(recent?.articles.map(a => a.source) ?? [])
    if (filter.coin !== undefined) coins.add(filter.coin)
    if (filter.source !== undefined) sources.add(filter.source)
    const options = (all: string, values: Set<string>, selected: string | undefined) => [
      h('option', { value: '' }, all),
      ...[...values].sort().map(v => h('option', { value: v, selected: v === selected }, v))
    ]
    this.#coin.replaceChildren(...options('All coins', coins, filter.coin))
    this.#source.replaceChildren(...options('All sources', sources, filter.source))
  }

  #applyFilters(): void {
    const value = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim())
    this.context.setParams({
      coin: value(this.#coin.value),
      source: value(this.#source.value),
      q: value(this.#query.value)
    })
    this.reload()
  }

  async #loadMore(): Promise<void> {
    if (this.#cursor === null) return
    const params = this.context.route().params
    this.#more.disabled = true
    try {
      const page = await getJson<ArticlesPage>('/api/articles', {
        coin: params.get('coin') ?? undefined,
        source: params.get('source') ?? undefined,
        q: params.get('q') ?? undefined,
        limit: PAGE,
        cursor: this.#cursor,
        asOf: this.#asOf
      })
      for (const article of page.articles) this.#list.add(article, false)
      this.#cursor = page.nextCursor
      this.#more.hidden = page.nextCursor === null
    } catch {
      // Shown by the shell's outage banner; the button stays for another try.
    } finally {
      this.#more.disabled = false
    }
  }
}

/** Whether a live article belongs in the filtered list (words: every word in title or summary). */
export function matches(
  article: Article,
  filter: { coin?: string | undefined; source?: string | undefined; q?: string | undefined }
): boolean {
  if (filter.coin !== undefined && !article.coins.some(c => c.code === filter.coin)) return false
  if (filter.source !== undefined && article.source !== filter.source) return false
  if (filter.q === undefined) return true
  const text = `${article.title} ${article.summary}`.toLowerCase()
  return filter.q
    .toLowerCase()
    .split(/\s+/)
    .filter(word => word !== '' && !word.startsWith('-'))
    .every(word => text.includes(word.replaceAll('"', '')))
}
