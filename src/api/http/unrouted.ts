/**
 * Requests no route takes: a path that a route serves with other methods is a 405 naming them in
 * `Allow` (`POST /api/candles`), any other a 404, both in the API's error body. They count toward the
 * rate limit like any request (a scan of made-up paths is no cheaper than real reads), and they are
 * refused before their body is read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { type ApiError, methodNotAllowed, notFound } from '../errors.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A wildcard route that does not serve this path prefix (the dashboard's `/*` and `/api`). */
    notUnder?: string
  }
}

interface IndexedRoute {
  method: string
  pattern: RegExp
  notUnder: string | undefined
}

/** A Fastify URL pattern as a RegExp: `:name` is one path segment, `*` anything. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map(part =>
      part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    )
    .join('')
  return new RegExp(`^${source}$`)
}

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`)

/** Every route's methods and pattern, gathered as routes are added; asks which methods a path takes. */
export class RouteIndex {
  readonly #routes: IndexedRoute[] = []

  constructor(app: FastifyInstance) {
    app.addHook('onRoute', route => {
      for (const method of [route.method].flat())
        this.#routes.push({ method, pattern: patternOf(route.url), notUnder: route.config?.notUnder })
    })
  }

  /** The methods some route takes at this path, in a stable order. */
  methodsAt(path: string): string[] {
    const methods = new Set<string>()
    for (const route of this.#routes)
      if (route.pattern.test(path) && (route.notUnder === undefined || !under(path, route.notUnder)))
        methods.add(route.method)
    return [...methods].sort()
  }
}

function refusal(index: RouteIndex, request: FastifyRequest): ApiError {
  const path = request.url.split('?')[0] ?? '/'
  const allowed = index.methodsAt(path)
  return allowed.length > 0 && !allowed.includes(request.method)
    ? methodNotAllowed(request.method, path, allowed)
    : notFound(request.method, path)
}

/**
 * Answers unrouted requests; `limit` is the rate limiter's hook (`app.rateLimit()`), absent when rate
 * limiting is off. Call after the rate-limit plugin is registered.
 */
export function installUnroutedHandler(
  app: FastifyInstance,
  index: RouteIndex,
  limit: preHandlerAsyncHookHandler | undefined
): void {
  const send = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const error = refusal(index, request)
    return reply.status(error.status).headers(error.headers).send(error.body)
  }
  // Before the body is parsed: a wrong method is a 405 whatever body it carries, and an unrouted
  // body is never read. The limiter runs first, so the refusal counts (it runs once per request).
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done()
    const refuse = (): void => done(refusal(index, request))
    if (limit === undefined) return refuse()
    limit.call(app, request, reply).then(refuse, done)
  })
  // Reached through reply.callNotFound() (the dashboard's catch-all for /api paths), which skips
  // onRequest hooks but runs these preHandlers.
  app.setNotFoundHandler(limit === undefined ? {} : { preHandler: limit }, send)
}
