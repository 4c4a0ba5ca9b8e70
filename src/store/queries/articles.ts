/**
 * Articles newest first (by publication time, then id), filtered by coin, source, time range and
 * full-text search (PostgreSQL `websearch_to_tsquery`: words, "quoted phrases", OR, -exclusions),
 * each with its coin mentions and sentiment. Search results keep time order, not rank, so that the
 * keyset cursor pages them like any other list.
 */
import type { Queryable } from '../database.ts'
import { EXCERPT_CHARS, excerptOf } from '../../lib/excerpt.ts'
import { type ImpactFigures, type StoredHorizons, horizonsJson, toFigures } from './impact.ts'
import { newestFirst } from './newest-first.ts'
import { type Before, type Page, Params, type TimeRange, toPage } from './params.ts'

export interface ArticleSentiment {
  score: number
  label: 'positive' | 'neutral' | 'negative'
  positiveTerms: string[]
  negativeTerms: string[]
  model: string
}

export interface ArticleRow {
  id: string
  source: string
  url: string
  title: string
  summary: string
  /** The start of the main text (or the summary), for a teaser that links to the source. */
  excerpt: string
  /** Characters of main text stored (0: only the feed's summary). */
  contentLength: number
  /** How getting the main text went (null: articles stored before it was attempted). */
  extraction: { status: string; reason: string | null } | null
  authors: string[]
  categories: string[]
  imageUrl: string | null
  publishedAt: string
  publishedAtEstimated: boolean
  sponsored: boolean
  coins: { code: string; mentions: number; inTitle: boolean }[]
  sentiment: ArticleSentiment | null
  /** The market's move after the article, per symbol its coins name (docs/impact.md). */
  impact: (ImpactFigures & { symbol: string })[]
}

export interface ArticleQuery extends TimeRange {
  coin?: string | undefined
  source?: string | undefined
  q?: string | undefined
  limit: number
  before?: Before | undefined
  /** The moves after each article as known at this moment (horizonsJson). */
  asOf?: string | undefined
}

interface Row extends Omit<ArticleRow, 'sentiment' | 'excerpt' | 'extraction' | 'impact'> {
  impact: { symbol: string; horizons: StoredHorizons | null }[]
  head: string
  extraction_status: string | null
  extraction_reason: string | null
  score: number | null
  label: ArticleSentiment['label'] | null
  positive_terms: string[] | null
  negative_terms: string[] | null
  model: string | null
}

export async function listArticles(db: Queryable, query: ArticleQuery): Promise<Page<ArticleRow>> {
  const params = new Params()
  const filters: string[] = []
  if (query.coin !== undefined)
    filters.push(
      `exists (select 1 from article_coins f where f.article_id = a.id and f.code = ${params.add(query.coin)})`
    )
  if (query.source !== undefined) filters.push(`a.source = ${params.add(query.source)}`)
  if (query.q !== undefined)
    filters.push(`a.search @@ websearch_to_tsquery('english', ${params.add(query.q)})`)
  const asOf = query.asOf === undefined ? undefined : params.add(query.asOf, 'timestamptz')
  const window = newestFirst(params, { time: 'a.published_at', id: 'a.id' }, query)
  const { rows } = await db.query<Row>(
    `select a.id, a.source, a.url, a.title, a.summary,
            left(coalesce(nullif(a.content, ''), a.summary), ${EXCERPT_CHARS * 2}) as head,
            coalesce(length(a.content), 0)::int as "contentLength",
            a.extraction_status, a.extraction_reason, a.authors, a.categories, a.image_url as "imageUrl",
            a.published_at as "publishedAt", a.published_at_estimated as "publishedAtEstimated",
            a.sponsored,
            coalesce((select json_agg(json_build_object('code', c.code, 'mentions', c.mentions,
                                                        'inTitle', c.in_title)
                                      order by c.mentions desc, c.code)
                        from article_coins c where c.article_id = a.id), '[]'::json) as coins,
            s.score, s.label, s.positive_terms, s.negative_terms, s.model,
            coalesce((select json_agg(json_build_object('symbol', x.symbol,
                                                        'horizons', ${horizonsJson('a.id', 'x.symbol', asOf)})
                                      order by x.symbol)
                        from (select distinct symbol from article_impact where article_id = a.id) x),
                     '[]'::json) as impact
       from articles a
       left join article_sentiment s on s.article_id = a.id
      where true${filters.map(f => ` and ${f}`).join('')}${window.where}
      ${window.tail}`,
    params.values
  )
  return toPage(rows.map(toArticle), query.limit)
}

function toArticle(row: Row): ArticleRow {
  const { score, label, positive_terms, negative_terms, model, head, impact, ...rest } = row
  const { extraction_status, extraction_reason, ...article } = rest
  return {
    ...article,
    excerpt: excerptOf(head),
    extraction: extraction_status === null ? null : { status: extraction_status, reason: extraction_reason },
    impact: impact.map(({ symbol, horizons }) => ({ symbol, ...toFigures(horizons) })),
    sentiment:
      score === null || label === null || model === null
        ? null
        : {
            score,
            label,
            positiveTerms: positive_terms ?? [],
            negativeTerms: negative_terms ?? [],
            model
          }
  }
}
