/** GET /api/symbols: every known symbol with its latest ticker (cached; new tickers invalidate it). */
import type { FastifyInstance } from 'fastify'
import { listSymbols } from '../../store/queries/symbols.ts'
import { Query } from '../schemas/params.ts'
import { SymbolsResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import { JSON_TYPE, type RouteContext } from './context.ts'

export const SYMBOLS_GROUP = 'symbols'

export function symbolsRoutes(app: FastifyInstance, context: RouteContext): void {
  app.get(
    '/api/symbols',
    {
      schema: {
        tags: ['market'],
        summary: 'Known symbols and their latest ticker',
        description: `Cached; a cached answer is at most ${context.settings.cacheMaxStalenessMs} ms older than the newest stored ticker.`,
        querystring: Query({}),
        response: { 200: SymbolsResponse, ...errorResponses }
      }
    },
    async (_request, reply) => {
      const body = await context.reads.read('symbols', SYMBOLS_GROUP, 'all', async () => ({
        symbols: await listSymbols(context.db)
      }))
      return reply.type(JSON_TYPE).send(body)
    }
  )
}
