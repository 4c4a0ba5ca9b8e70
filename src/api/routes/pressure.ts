/**
 * GET /api/pressure: taker buy versus sell volume and their imbalance per bucket, for several
 * symbols at once (the dashboard's heat-map asks for every symbol in one request). Cached per
 * interval; any new candle of that interval invalidates it, as candles carry the pressure.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { listPressure } from '../../store/queries/pressure.ts'
import { checkRange } from '../range.ts'
import { IntervalParam, LimitParam, Query, TimeParam } from '../schemas/params.ts'
import { PressureResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import { JSON_TYPE, type RouteContext } from './context.ts'

export const pressureGroup = (interval: string): string => `pressure:${interval}`

export const MAX_PRESSURE_SYMBOLS = 20

const SymbolsParam = Type.String({
  pattern: '^[A-Z0-9]{1,16}/[A-Z0-9]{1,16}(,[A-Z0-9]{1,16}/[A-Z0-9]{1,16}){0,19}$',
  description: `1 to ${MAX_PRESSURE_SYMBOLS} market symbols, comma-separated, e.g. BTC/USD,ETH/USD`,
  examples: ['BTC/USD,ETH/USD']
})

export function pressureRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const PressureQuery = Query({
    symbols: SymbolsParam,
    interval: IntervalParam,
    from: Type.Optional(TimeParam('start of the range, inclusive')),
    to: Type.Optional(TimeParam('end of the range, exclusive')),
    limit: Type.Optional(LimitParam(settings.pageSizeDefault, settings.pageSizeMax))
  })
  app.get<{ Querystring: Static<typeof PressureQuery> }>(
    '/api/pressure',
    {
      schema: {
        tags: ['market'],
        summary: 'Buy/sell pressure (taker volumes and imbalance) of several symbols at an interval',
        description:
          'Per symbol and bucket: taker buy and sell volume, imbalance = (buy − sell) / (buy + sell) ' +
          'as exact decimal text in [−1, 1], and buy/sell trade counts and quote volumes. With `from`, ' +
          'up to `limit` buckets from it onwards per symbol; without, the newest `limit` before `to` ' +
          `(or now). Cached: at most ${settings.cacheMaxStalenessMs} ms older than the newest stored candle.`,
        querystring: PressureQuery,
        response: { 200: PressureResponse, ...errorResponses }
      }
    },
    async (request, reply) => {
      const { interval, from, to } = request.query
      checkRange({ from, to }, settings.maxRangeDays)
      const symbols = [...new Set(request.query.symbols.split(','))]
      const limit = request.query.limit ?? settings.pageSizeDefault
      const key = [symbols.join(','), from ?? '', to ?? '', limit].join('|')
      const body = await context.reads.read('pressure', pressureGroup(interval), key, async () => ({
        interval,
        series: await listPressure(context.db, { symbols, interval, from, to, limit })
      }))
      return reply.type(JSON_TYPE).send(body)
    }
  )
}
