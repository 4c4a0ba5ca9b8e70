/**
 * News impact as the API reads it (docs/impact.md): per article and symbol, the four horizons side
 * by side, filtered and sorted by publication time or by the size of the abnormal move at one
 * horizon; and per source, how large its moves were and how often its sentiment had the move's sign.
 * Numeric columns are read as text: returns and ratios are exact decimals and stay so.
 */
import { type ImpactHorizon, ImpactHorizons } from '../../contract/vocabulary.ts'
import type { Queryable } from '../database.ts'
import { newestFirst } from './newest-first.ts'
import { type Before, type Page, Params, type TimeRange, toPage } from './params.ts'

/** A value per horizon; null where it is unknown (no candles, too little history). */
export type PerHorizon<T> = Record<ImpactHorizon, T>

export interface ImpactFigures {
  returns: PerHorizon<string | null>
  abnormal: PerHorizon<string | null>
  volumeRatio: PerHorizon<string | null>
  final: PerHorizon<boolean>
}

export interface ImpactRow extends ImpactFigures {
  articleId: string
  title: string
  source: string
  url: string
  publishedAt: string
  symbol: string
  sentiment: { score: number; label: string } | null
}

/** Keyset position of the ranking by |abnormal|: the rank (decimal text) and the row id. */
export interface Ranked {
  rank: string
  id: string
}

export interface ImpactQuery extends TimeRange {
  symbol?: string | undefined
  source?: string | undefined
  /** Only moves with |abnormal| at `horizon` at least this (decimal text). */
  minAbnormal?: string | undefined
  /** The horizon `minAbnormal` and the ranking read. */
  horizon: ImpactHorizon
  sort: 'time' | 'abnormal'
  limit: number
  before?: Before | undefined
  after?: Ranked | undefined
  /** Figures as known at this moment (horizonsJson); a ranking or filter reads only those. */
  asOf?: string | undefined
}

/** The horizons of one (article, symbol) as the database's JSON gives them. */
export interface StoredHorizons {
  [horizon: string]: {
    return: string | null
    abnormal: string | null
    volumeRatio: string | null
    final: boolean
  }
}

interface Row {
  articleId: string
  title: string
  source: string
  url: string
  publishedAt: string
  symbol: string
  score: number | null
  label: string | null
  rowId: string
  rank: string | null
  horizons: StoredHorizons
}

/**
 * The four horizons of one (article, symbol) as one JSON object, numerics as text. With `asOf` (a
 * timestamptz parameter) the figures are those known at that moment: a horizon whose window had
 * not ended yet is null and not final, as a page looking at that moment must show it.
 */
export const horizonsJson = (article: string, symbol: string, asOf?: string): string => {
  const known = (column: string): string =>
    asOf === undefined ? column : `case when h.window_end <= ${asOf} then ${column} end`
  return `(select json_object_agg(h.horizon, json_build_object('return', ${known('h.return_h::text')},
      'abnormal', ${known('h.abnormal::text')}, 'volumeRatio', ${known('h.volume_ratio::text')},
      'final', ${asOf === undefined ? 'h.final' : `h.final and h.window_end <= ${asOf}`}))
     from article_impact h where h.article_id = ${article} and h.symbol = ${symbol})`
}

export function toFigures(horizons: StoredHorizons | null): ImpactFigures {
  const pick = <T>(read: (h: StoredHorizons[string] | undefined) => T): PerHorizon<T> =>
    Object.fromEntries(ImpactHorizons.map(name => [name, read(horizons?.[name])])) as PerHorizon<T>
  return {
    returns: pick(h => h?.return ?? null),
    abnormal: pick(h => h?.abnormal ?? null),
    volumeRatio: pick(h => h?.volumeRatio ?? null),
    final: pick(h => h?.final ?? false)
  }
}

const ROW_ID = `(i.article_id || ' ' || i.symbol)`

/** A listed row with its paging columns: |abnormal| at the horizon, and the row's id. */
export type ImpactListRow = ImpactRow & { rank: string | null; rowId: string }

export async function listImpact(db: Queryable, query: ImpactQuery): Promise<Page<ImpactListRow>> {
  const params = new Params()
  const filters = [`i.horizon = ${params.add(query.horizon)}`]
  const asOf = query.asOf === undefined ? undefined : params.add(query.asOf, 'timestamptz')
  // Ranked or filtered by a figure: only the moves whose figure was known then.
  if (asOf !== undefined && (query.sort === 'abnormal' || query.minAbnormal !== undefined))
    filters.push(`i.window_end <= ${asOf}`)
  if (query.symbol !== undefined) filters.push(`i.symbol = ${params.add(query.symbol)}`)
  if (query.source !== undefined) filters.push(`a.source = ${params.add(query.source)}`)
  if (query.minAbnormal !== undefined)
    filters.push(`abs(i.abnormal) >= ${params.add(query.minAbnormal, 'numeric')}`)
  let tail: string
  if (query.sort === 'time') {
    const window = newestFirst(params, { time: 'i.published_at', id: ROW_ID }, query)
    tail = window.tail
    if (window.where !== '') filters.push(window.where.slice(' and '.length))
  } else {
    filters.push('i.abnormal is not null')
    if (query.from !== undefined) filters.push(`i.published_at >= ${params.add(query.from, 'timestamptz')}`)
    if (query.to !== undefined) filters.push(`i.published_at < ${params.add(query.to, 'timestamptz')}`)
    if (query.after !== undefined)
      filters.push(
        `(abs(i.abnormal), ${ROW_ID}) < (${params.add(query.after.rank, 'numeric')}, ${params.add(query.after.id)})`
      )
    tail = `order by abs(i.abnormal) desc, ${ROW_ID} desc limit ${params.add(query.limit + 1)}`
  }
  const { rows } = await db.query<Row>(
    `select i.article_id as "articleId", a.title, a.source, a.url, a.published_at as "publishedAt", i.symbol,
            s.score, s.label, ${ROW_ID} as "rowId", abs(i.abnormal)::text as rank,
            ${horizonsJson('i.article_id', 'i.symbol', asOf)} as horizons
       from article_impact i
       join articles a on a.id = i.article_id
       left join article_sentiment s on s.article_id = i.article_id
      where ${filters.join(' and ')}
      ${tail}`,
    params.values
  )
  return toPage(
    rows.map(({ score, label, horizons, ...row }) => ({
      ...row,
      sentiment: score === null || label === null ? null : { score, label },
      ...toFigures(horizons)
    })),
    query.limit
  )
}

export interface SourceImpact {
  source: string
  /** Articles with a final move at the horizon (any symbol). */
  articles: number
  /** Article × symbol moves with a final abnormal figure. */
  moves: number
  /** Mean |abnormal| over those moves, 6 decimals. */
  meanAbsAbnormal: string | null
  /** Moves whose article had a positive or negative sentiment and whose return was not zero. */
  signCompared: number
  /** Of those, the moves in the direction the sentiment said. */
  signMatched: number
  /** signMatched / signCompared, 6 decimals; null when nothing was compared. */
  hitRate: string | null
}

/** Per source, its final moves at `horizon` published in the range (known at `asOf`); most moves first. */
export async function impactBySource(
  db: Queryable,
  query: TimeRange & { horizon: ImpactHorizon; asOf?: string | undefined }
): Promise<SourceImpact[]> {
  const params = new Params()
  const filters = [`i.horizon = ${params.add(query.horizon)}`, 'i.final', 'i.abnormal is not null']
  if (query.asOf !== undefined) filters.push(`i.window_end <= ${params.add(query.asOf, 'timestamptz')}`)
  if (query.from !== undefined) filters.push(`i.published_at >= ${params.add(query.from, 'timestamptz')}`)
  if (query.to !== undefined) filters.push(`i.published_at < ${params.add(query.to, 'timestamptz')}`)
  const { rows } = await db.query<SourceImpact>(
    `with moves as (
       select a.source, i.article_id, abs(i.abnormal) as size,
              case when s.label in ('positive', 'negative') and i.return_h <> 0 then 1 else 0 end as compared,
              case when (s.label = 'positive' and i.return_h > 0) or (s.label = 'negative' and i.return_h < 0)
                   then 1 else 0 end as matched
         from article_impact i
         join articles a on a.id = i.article_id
         left join article_sentiment s on s.article_id = i.article_id
        where ${filters.join(' and ')}
     )
     select source, count(distinct article_id)::int as articles, count(*)::int as moves,
            round(avg(size), 6)::text as "meanAbsAbnormal",
            sum(compared)::int as "signCompared", sum(matched)::int as "signMatched",
            case when sum(compared) = 0 then null
                 else round(sum(matched)::numeric / sum(compared), 6)::text end as "hitRate"
       from moves
      group by source
      order by count(*) desc, source`,
    params.values
  )
  return rows
}
