/**
 * Turns anything a route throws into the API's error body: schema validation failures become a 400
 * naming the parameter and quoting what it expects (its schema's description), an unreachable
 * database a 503, our own ApiErrors their status (and headers), Fastify's own 4xx (a body too large,
 * of a type nothing takes) their status in our body, and anything else a logged 500 that leaks
 * nothing.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { ErrorCodes, describeError, isCryptoVizError } from '../../errors/errors.ts'
import {
  ApiError,
  badRequest,
  internal,
  notFound,
  refusedByDatabase,
  unavailable,
  unreadableRequest
} from '../errors.ts'

interface ValidationIssue {
  keyword: string
  instancePath: string
  message?: string
  params: Record<string, unknown>
}

type SchemaPart = 'querystring' | 'params' | 'body' | 'headers'

function propertiesOf(request: FastifyRequest, part: SchemaPart): Record<string, { description?: string }> {
  const schema = request.routeOptions.schema?.[part] as
    { properties?: Record<string, { description?: string }> } | undefined
  return schema?.properties ?? {}
}

function valueOf(request: FastifyRequest, part: SchemaPart, parameter: string): unknown {
  const source = part === 'querystring' ? request.query : part === 'params' ? request.params : undefined
  return typeof source === 'object' && source !== null
    ? (source as Record<string, unknown>)[parameter]
    : undefined
}

export function fromValidation(error: FastifyError, request: FastifyRequest): ApiError {
  const issue = error.validation?.[0] as ValidationIssue | undefined
  const part = (error.validationContext ?? 'querystring') as SchemaPart
  const properties = propertiesOf(request, part)
  if (issue === undefined) return badRequest(part, 'a valid request', error.message)
  if (issue.keyword === 'additionalProperties') {
    const parameter = String(issue.params.additionalProperty)
    const known = Object.keys(properties)
    const expected = known.length === 0 ? 'no parameters' : `one of the parameters ${known.join(', ')}`
    return badRequest(parameter, expected, `unknown parameter "${parameter}": expected ${expected}`)
  }
  const parameter =
    issue.keyword === 'required'
      ? String(issue.params.missingProperty)
      : (issue.instancePath.split('/')[1] ?? part)
  const expected = properties[parameter]?.description ?? issue.message ?? 'a valid value'
  if (issue.keyword === 'required')
    return badRequest(parameter, expected, `parameter "${parameter}" is required: expected ${expected}`)
  const got = valueOf(request, part, parameter)
  return badRequest(
    parameter,
    expected,
    `parameter "${parameter}" is invalid${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}: expected ${expected}`
  )
}

/** The SQLSTATE of a database error, found along the cause chain (our wrappers keep the driver's). */
function sqlStateOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error
  if (isCryptoVizError(error, ErrorCodes.DB_UNAVAILABLE)) return unavailable(error)
  const sqlState = isCryptoVizError(error, ErrorCodes.DB_QUERY) ? sqlStateOf(error) : undefined
  if (sqlState?.startsWith('22')) {
    request.log.warn(
      { err: describeError(error), url: request.url, sqlState },
      'database refused a parameter'
    )
    return refusedByDatabase(sqlState, error)
  }
  const fastifyError = error as Partial<FastifyError>
  if (Array.isArray(fastifyError.validation)) return fromValidation(error as FastifyError, request)
  const status = fastifyError.statusCode
  if (status === 404) return notFound(request.method, request.url.split('?')[0] ?? '/')
  if (typeof status === 'number' && status >= 400 && status < 500)
    return unreadableRequest(status, frameworkMessage(fastifyError, request))
  return internal(error)
}

/** Fastify's own 4xx messages, said so that the client knows what to change. */
function frameworkMessage(error: Partial<FastifyError>, request: FastifyRequest): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `no route takes a body of type ${request.headers['content-type'] ?? '(none)'}: the API only reads, send GET requests without a body`
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is larger than the server takes: the API only reads, send GET requests without a body'
    default:
      return error.message ?? 'the request could not be read'
  }
}

export function installErrorHandlers(app: FastifyInstance, onDatabaseError: (error: unknown) => void): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, request)
    if (apiError.body.code === ErrorCodes.DB_UNAVAILABLE) onDatabaseError(error)
    if (apiError.status >= 500)
      request.log.error(
        { err: describeError(error), url: request.url, code: apiError.body.code },
        'request failed'
      )
    if (apiError.status === 503) void reply.header('retry-after', '5')
    return reply.status(apiError.status).headers(apiError.headers).send(apiError.body)
  })
  // A plugin that answers a 4xx itself in plain text (@fastify/cors: "Invalid Preflight Request" for
  // an OPTIONS without Origin) still answers in the API's body.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || reply.statusCode >= 500 || typeof payload !== 'string') return payload
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/plain')) return payload
    void reply.type('application/json; charset=utf-8')
    return JSON.stringify(
      unreadableRequest(reply.statusCode, `${payload} (${request.method} ${request.url})`).body
    )
  })
}
