/** GET /api/alerts: alerts filtered by symbol, kind, severity and time; newest first. */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { AlertKind } from '../../schemas/alert.v1.ts'
import { listAlerts } from '../../store/queries/alerts.ts'
import { newestFirstPage } from '../newest-first-page.ts'
import { StringEnum } from '../../contract/string-enum.ts'
import { Severities } from '../../contract/vocabulary.ts'
import { Query, pagedRange } from '../schemas/params.ts'
import { AlertsResponse } from '../../contract/responses.ts'
import { errorResponses } from '../../contract/resources.ts'
import type { RouteContext } from './context.ts'

// The kinds the alert message schema allows, so the API accepts exactly what can be stored.
const AlertKinds = AlertKind.anyOf.map(literal => literal.const)

export function alertsRoutes(app: FastifyInstance, context: RouteContext): void {
  const { settings } = context
  const AlertsQuery = Query({
    symbol: Type.Optional(
      Type.String({
        pattern: '^([A-Z0-9]{1,16}/[A-Z0-9]{1,16}|[A-Z0-9]{2,12}|\\*)$',
        description: 'a market symbol such as BTC/USD, a coin code such as BTC, or * (market-wide alerts)'
      })
    ),
    kind: Type.Optional(StringEnum(AlertKinds, { description: `one of ${AlertKinds.join(', ')}` })),
    severity: Type.Optional(StringEnum(Severities, { description: `one of ${Severities.join(', ')}` })),
    ...pagedRange({ defaultSize: settings.pageSizeDefault, maxSize: settings.pageSizeMax })
  })
  app.get<{ Querystring: Static<typeof AlertsQuery> }>(
    '/api/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts by symbol, kind, severity and time range',
        querystring: AlertsQuery,
        response: { 200: AlertsResponse, ...errorResponses }
      }
    },
    async request => {
      const { symbol, kind, severity, from, to } = request.query
      const page = await newestFirstPage(
        request.query,
        { ...context, list: 'alerts' },
        paging => listAlerts(context.db, { symbol, kind, severity, from, to, ...paging }),
        last => ({ time: last.eventTs, id: last.id })
      )
      return { alerts: page.items, nextCursor: page.nextCursor }
    }
  )
}
