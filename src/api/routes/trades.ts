/** GET /api/trades: trades of one symbol, newest first, paged by cursor. */
import { type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { listTrades } from '../../store/queries/trades.ts'
import { newestFirstPage } from '../newest-first-page.ts'
import { Query, SymbolParam, pagedRange } from '../schemas/params.ts'
import { TradesResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import type { RouteContext } from './context.ts'

export function tradesRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const TradesQuery = Query({
    symbol: SymbolParam,
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax })
  })
  app.get<{ Querystring: Static<typeof TradesQuery> }>(
    '/api/trades',
    {
      schema: {
        tags: ['market'],
        summary: 'Trades of a symbol in a time range, newest first',
        querystring: TradesQuery,
        response: { 200: TradesResponse, ...errorResponses }
      }
    },
    async request => {
      const { symbol, from, to } = request.query
      const page = await newestFirstPage(
        request.query,
        { ...context, list: 'trades' },
        paging => listTrades(context.db, { symbol, from, to, ...paging }),
        last => ({ time: last.ts, id: String(last.tradeId) })
      )
      return { symbol, trades: page.items, nextCursor: page.nextCursor }
    }
  )
}
