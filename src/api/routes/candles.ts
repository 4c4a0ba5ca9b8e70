/**
 * GET /api/candles: candles of one symbol and interval over a time range, with indicator series on
 * request. Cached per (symbol, interval); a new candle or indicator value for them invalidates it.
 * Each candle says where it comes from: the trades the pipeline saw, or, for buckets without those,
 * the exchange's own OHLC (store/queries/market-candles.ts); a bucket is never counted twice.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { listIndicators } from '../../store/queries/candles.ts'
import { listMarketCandles } from '../../store/queries/market-candles.ts'
import { checkRange } from '../range.ts'
import { IntervalParam, Query, SymbolParam, pagedRange } from '../schemas/params.ts'
import { CandlesResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import { JSON_TYPE, type RouteContext } from './context.ts'

export const candlesGroup = (symbol: string, interval: string): string => `candles:${symbol}:${interval}`

const IndicatorsParam = Type.String({
  pattern: '^[a-z0-9_]{1,40}(,[a-z0-9_]{1,40}){0,15}$',
  description:
    'up to 16 indicator names, comma-separated, e.g. sma_20,ema_20,rsi_14,bb_upper_20_2,macd_12_26_9,macd_signal_12_26_9,macd_hist_12_26_9'
})

export function candlesRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const CandlesQuery = Query({
    symbol: SymbolParam,
    interval: IntervalParam,
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax }),
    indicators: Type.Optional(IndicatorsParam)
  })
  app.get<{ Querystring: Static<typeof CandlesQuery> }>(
    '/api/candles',
    {
      schema: {
        tags: ['market'],
        summary: 'Candles of a symbol at an interval, with indicator series on request',
        description:
          'Oldest first. With `from`, the candles from it onwards (pages continue with `cursor`); ' +
          'without, the newest `limit` candles before `to` (or now): to page back, pass the first ' +
          `bucket as \`to\`. Cached: at most ${settings.cacheMaxStalenessMs} ms older than the newest stored candle.`,
        querystring: CandlesQuery,
        response: { 200: CandlesResponse, ...errorResponses }
      }
    },
    async (request, reply) => {
      const { symbol, interval, from, to, cursor, indicators } = request.query
      checkRange({ from, to }, settings.maxRangeDays)
      const after = context.cursors.decodeAfter('candles', cursor)
      const limit = request.query.limit ?? settings.pageSizeDefault
      const names = indicators === undefined ? [] : [...new Set(indicators.split(','))]
      const key = [from ?? '', to ?? '', limit, cursor ?? '', names.join(',')].join('|')
      const body = await context.reads.read('candles', candlesGroup(symbol, interval), key, async () => {
        const page = await listMarketCandles(context.db, { symbol, interval, from, to, after, limit })
        const first = page.items[0]
        const last = page.items[page.items.length - 1]
        const series =
          names.length === 0
            ? undefined
            : first === undefined || last === undefined
              ? Object.fromEntries(names.map(name => [name, []]))
              : await listIndicators(context.db, {
                  symbol,
                  interval,
                  names,
                  first: first.bucket,
                  last: last.bucket
                })
        return {
          symbol,
          interval,
          candles: page.items,
          ...(series === undefined ? {} : { indicators: series }),
          nextCursor:
            page.hasMore && last !== undefined ? context.cursors.after('candles', last.bucket) : null
        }
      })
      return reply.type(JSON_TYPE).send(body)
    }
  )
}
