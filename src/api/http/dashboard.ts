/**
 * Serves the dashboard (the src/web build) at `/`: hashed files under assets/ are cached for a year
 * (their names change with their content), everything else is revalidated; a path that is not a
 * file but looks like a page (no extension) gets index.html, so client routes survive a reload.
 * /api/* never falls through to the dashboard: an unknown API path stays the API's JSON 404.
 *
 * Files go out compressed as the build left them beside the originals (`.br`, `.gz`: see
 * scripts/build-web.ts), chosen by Accept-Encoding (`Vary: Accept-Encoding`), so no request
 * compresses anything. The build also lists the hashes of the inline code the page runs
 * (`inline-hashes.json`), which the Content-Security-Policy allows (security-headers.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { type InlineSources, noInlineSources } from './security-headers.ts'

const YEAR_SECONDS = 31_536_000
/** Written by scripts/build-web.ts beside index.html. */
export const INLINE_HASHES_FILE = 'inline-hashes.json'

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The CSP hash sources of the build's inline scripts and styles; none for a build without the list. */
export function dashboardInlineSources(root: string): InlineSources {
  const path = join(root, INLINE_HASHES_FILE)
  if (!existsSync(path)) return noInlineSources
  const listed = JSON.parse(readFileSync(path, 'utf8')) as Partial<InlineSources>
  return { scripts: listed.scripts ?? [], styles: listed.styles ?? [] }
}

export async function serveDashboard(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true })
  app.get<{ Params: { '*'?: string } }>(
    '/*',
    { schema: { hide: true }, config: { rateLimit: false, notUnder: '/api' } },
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
