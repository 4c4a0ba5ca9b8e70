/**
 * Serves the dashboard (the src/web build) at `/`: hashed files under assets/ are cached for a year
 * (their names change with their content), everything else is revalidated; a path that is not a
 * file but looks like a page (no extension) gets index.html, so client routes survive a reload.
 * /api/* never falls through to the dashboard: an unknown API path stays the API's JSON 404.
 */
import { statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

const YEAR_SECONDS = 31_536_000

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export async function serveDashboard(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false })
  app.get<{ Params: { '*'?: string } }>(
    '/*',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const path = normalize(request.params['*'] ?? '').replace(/^(\.\.(\/|\\|$))+/, '')
      if (path === 'api' || path.startsWith('api/')) return reply.callNotFound()
      if (path !== '.' && path !== '' && isFile(join(root, path))) {
        const hashed = path.startsWith('assets/')
        void reply.header('cache-control', hashed ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache')
        return reply.sendFile(path, { cacheControl: false })
      }
      if (extname(path) !== '') return reply.callNotFound()
      void reply.header('cache-control', 'no-cache')
      return reply.sendFile('index.html', { cacheControl: false })
    }
  )
}
