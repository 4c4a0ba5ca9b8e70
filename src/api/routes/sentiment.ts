/** GET /api/sentiment: the rolling sentiment index of a coin (or the whole market), oldest first. */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { listSentiment } from '../../store/queries/sentiment.ts'
import { checkRange } from '../range.ts'
import { StringEnum } from '../../contract/string-enum.ts'
import { Intervals } from '../../contract/vocabulary.ts'
import { Query, pagedRange } from '../schemas/params.ts'
import { SentimentResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import type { RouteContext } from './context.ts'

export function sentimentRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const SentimentQuery = Query({
    coin: Type.Optional(
      Type.String({
        pattern: '^([A-Z0-9]{2,12}|\\*)$',
        default: '*',
        description: 'an asset code in capitals such as BTC, or * for the whole market (default *)'
      })
    ),
    interval: Type.Optional(
      StringEnum(Intervals, { default: '1h', description: `one of ${Intervals.join(', ')} (default 1h)` })
    ),
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax })
  })
  app.get<{ Querystring: Static<typeof SentimentQuery> }>(
    '/api/sentiment',
    {
      schema: {
        tags: ['news'],
        summary: 'Sentiment index series of a coin or of the whole market',
        description: 'Oldest first; without `from`, the newest `limit` points before `to` (or now).',
        querystring: SentimentQuery,
        response: { 200: SentimentResponse, ...errorResponses }
      }
    },
    async request => {
      const { from, to, cursor } = request.query
      const coin = request.query.coin ?? '*'
      const interval = request.query.interval ?? '1h'
      checkRange({ from, to }, settings.maxRangeDays)
      const after = context.cursors.decodeAfter('sentiment', cursor)
      const limit = request.query.limit ?? settings.pageSizeDefault
      const page = await listSentiment(context.db, { code: coin, interval, from, to, after, limit })
      const last = page.items[page.items.length - 1]
      return {
        coin,
        interval,
        points: page.items,
        nextCursor:
          page.hasMore && last !== undefined ? context.cursors.after('sentiment', last.bucket) : null
      }
    }
  )
}
