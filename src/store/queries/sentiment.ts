/** The rolling sentiment index of one coin (or "*", the whole market), oldest first. */
import type { Queryable } from '../database.ts'
import { type SeriesQuery, seriesPage, seriesWindow } from './candles.ts'
import { type Page, Params } from './params.ts'

export interface SentimentPoint {
  bucket: string
  articles: number
  scoreSum: number
  scoreAvg: number
  indexValue: number
}

export async function listSentiment(
  db: Queryable,
  query: SeriesQuery & { code: string; interval: string }
): Promise<Page<SentimentPoint>> {
  const params = new Params()
  const code = params.add(query.code)
  const interval = params.add(query.interval)
  const window = seriesWindow(params, query)
  const { rows } = await db.query<SentimentPoint>(
    `select bucket, articles, score_sum as "scoreSum", score_avg as "scoreAvg", index_value as "indexValue"
       from sentiment_series
      where code = ${code} and interval = ${interval}${window.where}
      ${window.tail}`,
    params.values
  )
  return seriesPage(rows, window.newest, query.limit)
}
