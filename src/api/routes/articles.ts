/** GET /api/articles: news filtered by coin, source, time range and text, with sentiment; newest first. */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { listArticles } from '../../store/queries/articles.ts'
import { newestFirstPage } from '../newest-first-page.ts'
import { checkTime } from '../range.ts'
import { AsOfParam, CoinParam, Query, pagedRange } from '../schemas/params.ts'
import { ArticlesResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import type { RouteContext } from './context.ts'

export function articlesRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const ArticlesQuery = Query({
    coin: Type.Optional(CoinParam),
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'a feed source name, e.g. coindesk (1 to 100 characters)'
      })
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'full-text search in title and summary (1 to 200 characters): words, "a phrase", or, -exclude'
      })
    ),
    asOf: Type.Optional(AsOfParam),
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax })
  })
  app.get<{ Querystring: Static<typeof ArticlesQuery> }>(
    '/api/articles',
    {
      schema: {
        tags: ['news'],
        summary: 'Articles by coin, source, time range and text, with their sentiment',
        description: 'Newest first by publication time (search results too, so pages stay stable).',
        querystring: ArticlesQuery,
        response: { 200: ArticlesResponse, ...errorResponses }
      }
    },
    async request => {
      const { coin, source, q, from, to, asOf } = request.query
      checkTime('asOf', asOf)
      const page = await newestFirstPage(
        request.query,
        { ...context, list: 'articles' },
        paging => listArticles(context.db, { coin, source, q, from, to, asOf, ...paging }),
        last => ({ time: last.publishedAt, id: last.id })
      )
      return { articles: page.items, nextCursor: page.nextCursor }
    }
  )
}
