/**
 * News sentiment: one score per article, and the rolling index per coin ('BTC', …) and overall ('*').
 * The index is recomputed from the stored scores rather than kept in memory, because articles about
 * one coin arrive through every partition (they are keyed by article id): the database is the one
 * place that sees them all. Callers hold SENTIMENT_LOCK for the transaction so that two instances
 * recomputing the same bucket cannot each miss the other's uncommitted article.
 */
import type { Queryable } from '../database.ts'

/** pg_advisory_xact_lock key serialising sentiment index recomputation across instances. */
export const SENTIMENT_LOCK = 7_226_455_962

export interface ArticleSentimentRow {
  articleId: string
  score: number
  label: 'positive' | 'neutral' | 'negative'
  positiveTerms: string[]
  negativeTerms: string[]
  model: string
}

export interface SentimentPoint {
  code: string
  interval: string
  bucket: string
  articles: number
  scoreSum: number
  scoreAvg: number
  indexValue: number
}

const UPSERT_ARTICLE = `insert into article_sentiment (article_id, score, label, positive_terms, negative_terms, model)
select x.article_id, x.score, x.label, array(select jsonb_array_elements_text(x.positive_terms)),
  array(select jsonb_array_elements_text(x.negative_terms)), x.model
from jsonb_to_recordset($1::jsonb) as x(article_id text, score double precision, label text,
  positive_terms jsonb, negative_terms jsonb, model text)
on conflict (article_id) do update set score = excluded.score, label = excluded.label,
  positive_terms = excluded.positive_terms, negative_terms = excluded.negative_terms,
  model = excluded.model, computed_at = now()`

export async function writeArticleSentiment(
  q: Queryable,
  rows: readonly ArticleSentimentRow[]
): Promise<void> {
  if (rows.length === 0) return
  const json = rows.map(r => ({
    article_id: r.articleId,
    score: r.score,
    label: r.label,
    positive_terms: r.positiveTerms,
    negative_terms: r.negativeTerms,
    model: r.model
  }))
  await q.query(UPSERT_ARTICLE, [JSON.stringify(json)])
}

// $1 codes, $2 first affected bucket per code, $3 interval name, $4 bucket length, $5 window, $6 half-life (s).
const RECOMPUTE = `with targets as (
  select t.code, t.from_bucket from unnest($1::text[], $2::timestamptz[]) as t(code, from_bucket)
), scored as (
  select c.code, a.published_at, s.score
    from targets t
    join article_coins c on c.code = t.code
    join articles a on a.id = c.article_id
    join article_sentiment s on s.article_id = c.article_id
   where a.published_at >= t.from_bucket - $5::interval
  union all
  select t.code, a.published_at, s.score
    from targets t
    join articles a on a.published_at >= t.from_bucket - $5::interval
    join article_sentiment s on s.article_id = a.id
   where t.code = '*'
), buckets as (
  select distinct s.code, date_bin($4::interval, s.published_at, timestamptz 'epoch') as bucket
    from scored s join targets t on t.code = s.code
   where s.published_at >= t.from_bucket and s.published_at < t.from_bucket + $5::interval + $4::interval
)
insert into sentiment_series (code, interval, bucket, articles, score_sum, score_avg, index_value)
select b.code, $3, b.bucket,
       count(*) filter (where s.published_at >= b.bucket),
       coalesce(sum(s.score) filter (where s.published_at >= b.bucket), 0),
       coalesce(avg(s.score) filter (where s.published_at >= b.bucket), 0),
       sum(s.score * w.weight) / sum(w.weight)
  from buckets b
  join scored s on s.code = b.code
               and s.published_at < b.bucket + $4::interval
               and s.published_at >= b.bucket + $4::interval - $5::interval
  cross join lateral (
    select exp(-ln(2) * extract(epoch from (b.bucket + $4::interval - s.published_at)) / $6) as weight
  ) w
 group by b.code, b.bucket
on conflict (code, interval, bucket) do update set articles = excluded.articles,
  score_sum = excluded.score_sum, score_avg = excluded.score_avg, index_value = excluded.index_value
returning code, interval, bucket, articles, score_sum as "scoreSum", score_avg as "scoreAvg",
  index_value as "indexValue"`

export interface RecomputeOptions {
  interval: string
  intervalSeconds: number
  windowSeconds: number
  halfLifeSeconds: number
}

/**
 * Recomputes every bucket of `interval` that an article published at or after `from` (per code)
 * can affect: its own bucket and the later ones within the window. A bucket's index is the mean of
 * the scores of the articles in the window before its end, each weighted by 2^(−age / half-life).
 */
export async function recomputeSentimentSeries(
  q: Queryable,
  from: ReadonlyMap<string, string>,
  options: RecomputeOptions
): Promise<SentimentPoint[]> {
  if (from.size === 0) return []
  const window = Math.max(options.windowSeconds, options.intervalSeconds)
  const { rows } = await q.query<SentimentPoint>(RECOMPUTE, [
    [...from.keys()],
    [...from.values()],
    options.interval,
    `${options.intervalSeconds} seconds`,
    `${window} seconds`,
    options.halfLifeSeconds
  ])
  return rows
}

/** The series of the given codes from `since` on, oldest first (for the sentiment swing rule). */
export async function sentimentSeriesSince(
  q: Queryable,
  codes: readonly string[],
  interval: string,
  since: string
): Promise<SentimentPoint[]> {
  if (codes.length === 0) return []
  const { rows } = await q.query<SentimentPoint>(
    `select code, interval, bucket, articles, score_sum as "scoreSum", score_avg as "scoreAvg",
            index_value as "indexValue"
       from sentiment_series
      where code = any($1::text[]) and interval = $2 and bucket >= $3
      order by code, bucket`,
    [codes, interval, since]
  )
  return rows
}
