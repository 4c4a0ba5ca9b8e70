/**
 * Articles and their coin mentions. The ingest job upserts (a feed may republish an article with a
 * fuller text); the analytics job only makes sure the article exists before it stores the article's
 * sentiment (a foreign key), without overwriting what ingest wrote.
 */
import type { ArticleV1 } from '../../schemas/article.v1.ts'
import type { Queryable } from '../database.ts'
import { lastByKey } from './sql-arrays.ts'

const COLUMNS = `id, source, feed_url, url, title, summary, content, extraction_status, extraction_reason,
  authors, categories, image_url, published_at, published_at_estimated, sponsored, fetched_at`

const SELECT = `select x.id, x.source, x.feed_url, x.url, x.title, x.summary, x.content, x.extraction_status,
  x.extraction_reason, array(select jsonb_array_elements_text(x.authors)),
  array(select jsonb_array_elements_text(x.categories)), x.image_url, x.published_at,
  x.published_at_estimated, x.sponsored, x.fetched_at
from jsonb_to_recordset($1::jsonb) as x(id text, source text, feed_url text, url text, title text,
  summary text, content text, extraction_status text, extraction_reason text, authors jsonb,
  categories jsonb, image_url text, published_at timestamptz, published_at_estimated boolean,
  sponsored boolean, fetched_at timestamptz)`

const UPSERT = `insert into articles (${COLUMNS}) ${SELECT}
on conflict (id) do update set source = excluded.source, feed_url = excluded.feed_url, url = excluded.url,
  title = excluded.title, summary = excluded.summary,
  content = coalesce(excluded.content, articles.content),
  extraction_status = coalesce(excluded.extraction_status, articles.extraction_status),
  extraction_reason = coalesce(excluded.extraction_reason, articles.extraction_reason),
  authors = excluded.authors, categories = excluded.categories, image_url = excluded.image_url,
  published_at = excluded.published_at, published_at_estimated = excluded.published_at_estimated,
  sponsored = excluded.sponsored, fetched_at = excluded.fetched_at`

const ENSURE = `insert into articles (${COLUMNS}) ${SELECT} on conflict (id) do nothing returning id`

const COINS = `insert into article_coins (article_id, code, mentions, in_title, published_at)
select x.article_id, x.code, x.mentions, x.in_title, x.published_at
from jsonb_to_recordset($1::jsonb) as x(article_id text, code text, mentions integer, in_title boolean,
  published_at timestamptz)`

function articleJson(a: ArticleV1) {
  return {
    id: a.id,
    source: a.source,
    feed_url: a.feedUrl,
    url: a.url,
    title: a.title,
    summary: a.summary,
    content: a.content ?? null,
    extraction_status: a.extraction?.status ?? null,
    extraction_reason: a.extraction?.reason ?? null,
    authors: a.authors,
    categories: a.categories,
    image_url: a.imageUrl ?? null,
    published_at: a.publishedAt,
    published_at_estimated: a.publishedAtEstimated,
    sponsored: a.sponsored,
    fetched_at: a.fetchedAt
  }
}

function coinsJson(articles: readonly ArticleV1[]) {
  return articles.flatMap(a =>
    lastByKey(a.coins, c => c.code).map(c => ({
      article_id: a.id,
      code: c.code,
      mentions: c.mentions,
      in_title: c.inTitle,
      published_at: a.publishedAt
    }))
  )
}

/**
 * The last version of each id, in id order: ingest and analytics both write articles, and taking
 * row locks in one order keeps their concurrent transactions from deadlocking.
 */
function latestById(articles: readonly ArticleV1[]): ArticleV1[] {
  return lastByKey(articles, a => a.id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Inserts or updates articles (the last version of each id in the batch wins) and their coins. */
export async function upsertArticles(q: Queryable, articles: readonly ArticleV1[]): Promise<number> {
  if (articles.length === 0) return 0
  const latest = latestById(articles)
  const { rowCount } = await q.query(UPSERT, [JSON.stringify(latest.map(articleJson))])
  // A new version's coin list replaces the old one whole (a coin may have been dropped).
  await q.query('delete from article_coins where article_id = any($1::text[])', [latest.map(a => a.id)])
  await q.query(COINS, [JSON.stringify(coinsJson(latest))])
  return rowCount
}

/** Inserts the articles that are missing (with their coins); leaves existing ones untouched. */
export async function ensureArticles(q: Queryable, articles: readonly ArticleV1[]): Promise<void> {
  if (articles.length === 0) return
  const latest = latestById(articles)
  const { rows } = await q.query<{ id: string }>(ENSURE, [JSON.stringify(latest.map(articleJson))])
  // Coins only for the articles inserted here: a stored article keeps the coin list ingest gave it.
  const inserted = new Set(rows.map(r => r.id))
  const coins = coinsJson(latest.filter(a => inserted.has(a.id)))
  if (coins.length > 0) await q.query(`${COINS} on conflict do nothing`, [JSON.stringify(coins)])
}
