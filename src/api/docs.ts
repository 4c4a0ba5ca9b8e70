/**
 * The OpenAPI document and its docs page, generated from the same route schemas that validate requests
 * and serialise answers: `/api/openapi.json` and `/api/docs`. Must be registered before the routes, so
 * that it sees each of them as it is added.
 */
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CRYPTO VIZ API',
        version: '1.0.0',
        description:
          'Crypto market and news analytics: tickers, candles with indicators, trades, articles with sentiment, ' +
          'alerts and pipeline status, plus live push over WebSocket (`/api/stream`). Errors have the body ' +
          '`{ error, code, message, parameter?, expected? }`; a 400 names the parameter at fault.'
      },
      tags: [
        { name: 'market', description: 'symbols, tickers, candles and trades' },
        { name: 'news', description: 'articles and sentiment' },
        { name: 'alerts', description: 'alerts raised by the analytics rules' },
        { name: 'pipeline', description: 'the state of the pipeline stages' },
        { name: 'live', description: 'WebSocket push' },
        { name: 'operations', description: 'health and metrics' }
      ]
    },
    // Shared schemas keep their $id as their name under components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // BaseLayout: no top bar, whose field loads any document from any URL and whose logo is inline
    // SVG with a <style> the Content-Security-Policy refuses (docs/security.md).
    uiConfig: { docExpansion: 'list', deepLinking: true, layout: 'BaseLayout' }
  })
  app.get('/api/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger()
  )
}
