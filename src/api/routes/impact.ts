/**
 * GET /api/impact: which news moved the market, per article and symbol (newest first, or largest
 * abnormal move first); GET /api/impact/sources: per news source, the size of its moves and how
 * often its sentiment had their sign. Computed by the analytics job (docs/impact.md); cached, and
 * new impact rows (the live `impact` channel) invalidate the cache.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { type ImpactListRow, type ImpactRow, impactBySource, listImpact } from '../../store/queries/impact.ts'
import type { Page } from '../../store/queries/params.ts'
import { checkRange, checkTime } from '../range.ts'
import { errorResponses } from '../../contract/resources.ts'
import { ImpactResponse, ImpactSourcesResponse } from '../../contract/responses.ts'
import { StringEnum } from '../../contract/string-enum.ts'
import { ImpactHorizons } from '../../contract/vocabulary.ts'
import { AsOfParam, Query, SymbolParam, TimeParam, pagedRange } from '../schemas/params.ts'
import { JSON_TYPE, type RouteContext } from './context.ts'

export const IMPACT_GROUP = 'impact'

const Sorts = ['time', 'abnormal'] as const

const HorizonParam = StringEnum(ImpactHorizons, {
  default: '30m',
  description: `the horizon the filter and the ranking read: one of ${ImpactHorizons.join(', ')} (default 30m)`
})

/** The row as the API sends it: the paging columns stay on the server. */
const toMove = ({ rank: _rank, rowId: _rowId, ...move }: ImpactListRow): ImpactRow => move

export function impactRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const ImpactQuery = Query({
    symbol: Type.Optional(SymbolParam),
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'a feed source name, e.g. coindesk (1 to 100 characters)'
      })
    ),
    minAbnormal: Type.Optional(
      Type.String({
        pattern: '^\\d{1,6}(\\.\\d{1,6})?$',
        description: 'only moves with |abnormal| at `horizon` at least this: a decimal such as 2 or 1.5'
      })
    ),
    horizon: Type.Optional(HorizonParam),
    sort: Type.Optional(
      StringEnum(Sorts, {
        default: 'time',
        description: 'time: newest publication first; abnormal: largest |abnormal| at `horizon` first'
      })
    ),
    asOf: Type.Optional(AsOfParam),
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax })
  })
  app.get<{ Querystring: Static<typeof ImpactQuery> }>(
    '/api/impact',
    {
      schema: {
        tags: ['news'],
        summary: 'How the market moved after each article, per symbol its coins name',
        description:
          'Returns, abnormal returns and volume ratios at 5m, 30m, 2h and 24h after the publication, each final ' +
          'once no trade can change it (docs/impact.md). Correlation, not causation. With sort=abnormal, moves ' +
          `without an abnormal figure at the horizon are left out. Cached; at most ${settings.cacheMaxStalenessMs} ms behind the store.`,
        querystring: ImpactQuery,
        response: { 200: ImpactResponse, ...errorResponses }
      }
    },
    async (request, reply) => {
      const { symbol, source, minAbnormal, from, to, asOf, cursor } = request.query
      const horizon = request.query.horizon ?? '30m'
      const sort = request.query.sort ?? 'time'
      const limit = request.query.limit ?? settings.pageSizeDefault
      checkRange({ from, to }, settings.maxRangeDays)
      checkTime('asOf', asOf)
      const base = { symbol, source, minAbnormal, horizon, from, to, asOf, limit }
      // Cursors are checked before the cache is asked, so a bad one is a 400 however warm the cache.
      let load: () => Promise<unknown>
      if (sort === 'time') {
        const before = context.cursors.decodeBefore('impact', cursor)
        load = async () =>
          answer(await listImpact(context.db, { ...base, sort, before }), last =>
            context.cursors.before('impact', { time: last.publishedAt, id: last.rowId })
          )
      } else {
        const after = context.cursors.decodeRanked('impactByAbnormal', cursor)
        load = async () =>
          answer(await listImpact(context.db, { ...base, sort, after }), last =>
            context.cursors.ranked('impactByAbnormal', { rank: last.rank ?? '0', id: last.rowId })
          )
      }
      const key = JSON.stringify({ ...base, sort, cursor })
      return reply.type(JSON_TYPE).send(await context.reads.read('impact', IMPACT_GROUP, key, load))
    }
  )

  const SourcesQuery = Query({
    horizon: Type.Optional(HorizonParam),
    from: Type.Optional(TimeParam('start of the publication range, inclusive')),
    to: Type.Optional(TimeParam('end of the publication range, exclusive')),
    asOf: Type.Optional(AsOfParam)
  })
  app.get<{ Querystring: Static<typeof SourcesQuery> }>(
    '/api/impact/sources',
    {
      schema: {
        tags: ['news'],
        summary: 'Per news source: how large its moves were, and how often its sentiment had their sign',
        description:
          'Final moves only. The hit rate is signMatched / signCompared: read it with its counts, a small ' +
          'sample says little (docs/impact.md).',
        querystring: SourcesQuery,
        response: { 200: ImpactSourcesResponse, ...errorResponses }
      }
    },
    async (request, reply) => {
      const { from, to, asOf } = request.query
      const horizon = request.query.horizon ?? '30m'
      checkRange({ from, to }, settings.maxRangeDays)
      checkTime('asOf', asOf)
      const key = JSON.stringify({ sources: true, horizon, from, to, asOf })
      const body = await context.reads.read('impact', IMPACT_GROUP, key, async () => ({
        horizon,
        sources: await impactBySource(context.db, { horizon, from, to, asOf })
      }))
      return reply.type(JSON_TYPE).send(body)
    }
  )
}

function answer(
  page: Page<ImpactListRow>,
  cursorOf: (last: ImpactListRow) => string
): { moves: ImpactRow[]; nextCursor: string | null } {
  const last = page.items[page.items.length - 1]
  return {
    moves: page.items.map(toMove),
    nextCursor: page.hasMore && last !== undefined ? cursorOf(last) : null
  }
}
