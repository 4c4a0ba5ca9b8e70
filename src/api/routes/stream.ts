/** GET /api/stream: the live WebSocket (protocol in live/messages.ts, channels in live/channels.ts). */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { ErrorCodes } from '../../errors/errors.ts'
import { requireAllowedOrigin } from '../http/origin-rule.ts'
import { ErrorResponse } from '../../contract/resources.ts'
import { channelForms } from '../live/channels.ts'
import type { RouteContext } from './context.ts'

export function streamRoutes(app: FastifyInstance, context: RouteContext): void {
  // wsHandler + handler (rather than `websocket: true`, which hides the route from the OpenAPI
  // document): upgrades go to the hub, a plain GET is told to upgrade.
  app.route({
    method: 'GET',
    url: '/api/stream',
    schema: {
      tags: ['live'],
      summary: 'Live push over WebSocket',
      description:
        'Upgrade to a WebSocket, then send `{"op":"subscribe","channels":["trades:BTC/USD"],"id":1}`. ' +
        `Channels: ${channelForms.join(', ')}. The server acknowledges with "subscribed", sends ` +
        '`{"type":"event","channel",...,"data"}` for every matching event, pings every ' +
        `${context.settings.live.pingIntervalMs} ms and drops a client whose unsent queue exceeds ` +
        `${context.settings.live.maxBufferedBytes} bytes (close code 4001). A browser page of another origin ` +
        'than this server (and CORS_ORIGINS) is refused with a 403 before the upgrade. Full protocol: docs/api.md.',
      response: {
        101: Type.Null({ description: 'Switching Protocols: the WebSocket is open' }),
        403: Type.Ref(ErrorResponse, {
          description: 'a page of an origin other than this server and CORS_ORIGINS (docs/security.md)'
        }),
        426: Type.Ref(ErrorResponse, { description: 'a plain HTTP request: upgrade to WebSocket' })
      }
    },
    // A page of another origin is refused before the upgrade: browsers let any site open a
    // WebSocket to any server, so the Origin check is the only thing standing in for CORS here.
    onRequest: requireAllowedOrigin(context.settings.corsOrigins),
    wsHandler: socket => context.hub.accept(socket),
    handler: async (_request, reply) =>
      reply.status(426).header('upgrade', 'websocket').send({
        error: 'upgrade_required',
        code: ErrorCodes.API_BAD_REQUEST,
        message: 'this endpoint speaks WebSocket: connect with a WebSocket client (protocol in docs/api.md)'
      })
  })
}
