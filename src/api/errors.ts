/**
 * The API's errors, from one small factory: each has a stable code (docs/errors.md), an HTTP status
 * and the JSON body the client receives. A bad parameter always names the parameter and what is
 * expected, so a client can fix its request without reading the server's logs.
 */
import { CryptoVizError, type ErrorCode, ErrorCodes } from '../errors/errors.ts'

export interface ErrorBody {
  error: string
  code: ErrorCode
  message: string
  parameter?: string
  expected?: string
}

export class ApiError extends CryptoVizError {
  readonly status: number
  readonly body: ErrorBody
  /** Headers the answer must carry (a 405's Allow). */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: number,
    body: ErrorBody,
    options: { cause?: unknown; retryable?: boolean; headers?: Record<string, string> } = {}
  ) {
    super(body.code, body.message, options)
    this.name = 'ApiError'
    this.status = status
    this.body = body
    this.headers = options.headers ?? {}
  }
}

export function badRequest(parameter: string, expected: string, message?: string): ApiError {
  return new ApiError(400, {
    error: 'bad_request',
    code: ErrorCodes.API_BAD_REQUEST,
    message: message ?? `parameter "${parameter}" is invalid: expected ${expected}`,
    parameter,
    expected
  })
}

/**
 * A value that passed every check here and the database still refused as data (SQLSTATE class 22:
 * a date out of range, a number too large, a byte text cannot hold): the request's fault, a 400.
 * The parameters are checked first (range.ts, cursor.ts, schemas/params.ts); this is the net under
 * them, so that whatever slips through is never a 500.
 */
export function refusedByDatabase(sqlState: string, cause: unknown): ApiError {
  return new ApiError(
    400,
    {
      error: 'bad_request',
      code: ErrorCodes.API_BAD_REQUEST,
      message: `a parameter has a value the database cannot take (SQLSTATE ${sqlState}); check the times, numbers and text of the request`,
      parameter: 'query',
      expected: 'values within what the API documents for each parameter'
    },
    { cause }
  )
}

export function notFound(method: string, path: string): ApiError {
  return new ApiError(404, {
    error: 'not_found',
    code: ErrorCodes.API_NOT_FOUND,
    message: `no route ${method} ${path}; the API's routes are listed at /api/openapi.json`
  })
}

export function methodNotAllowed(method: string, path: string, allowed: readonly string[]): ApiError {
  return new ApiError(
    405,
    {
      error: 'method_not_allowed',
      code: ErrorCodes.API_METHOD_NOT_ALLOWED,
      message: `${path} does not take ${method}: use ${allowed.join(' or ')}`
    },
    { headers: { allow: allowed.join(', ') } }
  )
}

export function originRefused(origin: string): ApiError {
  return new ApiError(403, {
    error: 'forbidden',
    code: ErrorCodes.API_ORIGIN_REFUSED,
    message:
      `the live WebSocket does not take connections from pages of ${origin}: open the dashboard ` +
      "from this server's own address, or add the origin to CORS_ORIGINS"
  })
}

const unreadable: Readonly<Record<number, string>> = {
  408: 'request_timeout',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large'
}

/**
 * A request refused before any route saw it (a URL that does not decode, a body too large or of a
 * type nothing takes, headers over the limit): the framework's status, in this API's body.
 */
export function unreadableRequest(status: number, message: string): ApiError {
  return new ApiError(status, {
    error: unreadable[status] ?? 'bad_request',
    code: ErrorCodes.API_BAD_REQUEST,
    message
  })
}

export function rateLimited(limitPerMinute: number, retryAfterSeconds: number): ApiError {
  return new ApiError(429, {
    error: 'rate_limited',
    code: ErrorCodes.API_RATE_LIMITED,
    message: `more than ${limitPerMinute} requests in a minute from this client; retry in ${retryAfterSeconds} s`
  })
}

export function unavailable(cause: unknown): ApiError {
  return new ApiError(
    503,
    {
      error: 'unavailable',
      code: ErrorCodes.DB_UNAVAILABLE,
      message: 'the database is unreachable right now; retry shortly'
    },
    { cause, retryable: true }
  )
}

export function internal(cause: unknown): ApiError {
  return new ApiError(
    500,
    {
      error: 'internal',
      code: ErrorCodes.API_INTERNAL,
      message: 'the request failed on an unexpected error; it has been logged'
    },
    { cause }
  )
}
