/**
 * One small error hierarchy for the whole pipeline. Callers branch on `code` (stable, documented in
 * docs/errors.md) and on the routing flags, never on message text. Messages name the value that was
 * received and what to do about it.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'CV_ERR_CONFIG_INVALID',
  BROKER_UNREACHABLE: 'CV_ERR_BROKER_UNREACHABLE',
  TOPIC_MISMATCH: 'CV_ERR_TOPIC_MISMATCH',
  TOPIC_ADMIN: 'CV_ERR_TOPIC_ADMIN',
  BUS_PUBLISH: 'CV_ERR_BUS_PUBLISH',
  BUS_CLOSED: 'CV_ERR_BUS_CLOSED',
  BUS_UNKNOWN_TOPIC: 'CV_ERR_BUS_UNKNOWN_TOPIC',
  BUS_LOCKED: 'CV_ERR_BUS_LOCKED',
  BUS_STORAGE: 'CV_ERR_BUS_STORAGE',
  SCHEMA_INVALID: 'CV_ERR_SCHEMA_INVALID',
  RECORD_REJECTED: 'CV_ERR_RECORD_REJECTED',
  STALE_PARTITION_STATE: 'CV_ERR_STALE_PARTITION_STATE',
  DB_UNAVAILABLE: 'CV_ERR_DB_UNAVAILABLE',
  DB_QUERY: 'CV_ERR_DB_QUERY',
  MIGRATION: 'CV_ERR_MIGRATION',
  USAGE: 'CV_ERR_USAGE',
  API_BAD_REQUEST: 'CV_ERR_API_BAD_REQUEST',
  API_NOT_FOUND: 'CV_ERR_API_NOT_FOUND',
  API_METHOD_NOT_ALLOWED: 'CV_ERR_API_METHOD_NOT_ALLOWED',
  API_ORIGIN_REFUSED: 'CV_ERR_API_ORIGIN_REFUSED',
  API_RATE_LIMITED: 'CV_ERR_API_RATE_LIMITED',
  API_INTERNAL: 'CV_ERR_API_INTERNAL',
  CACHE_UNAVAILABLE: 'CV_ERR_CACHE_UNAVAILABLE',
  PRODUCER_BUFFER_FULL: 'CV_ERR_PRODUCER_BUFFER_FULL',
  MALFORMED_INPUT: 'CV_ERR_MALFORMED_INPUT',
  KRAKEN_SUBSCRIPTION_REJECTED: 'CV_ERR_KRAKEN_SUBSCRIPTION_REJECTED',
  KRAKEN_SILENT: 'CV_ERR_KRAKEN_SILENT',
  KRAKEN_STALE_STREAM: 'CV_ERR_KRAKEN_STALE_STREAM',
  KRAKEN_CHECKSUM: 'CV_ERR_KRAKEN_CHECKSUM',
  KRAKEN_CONNECT_BUDGET: 'CV_ERR_KRAKEN_CONNECT_BUDGET',
  KRAKEN_REST: 'CV_ERR_KRAKEN_REST',
  KRAKEN_RATE_LIMITED: 'CV_ERR_KRAKEN_RATE_LIMITED',
  TRADE_GAP_UNFILLED: 'CV_ERR_TRADE_GAP_UNFILLED',
  FEED_FETCH: 'CV_ERR_FEED_FETCH',
  FEED_PARSE: 'CV_ERR_FEED_PARSE',
  ARTICLE_FETCH: 'CV_ERR_ARTICLE_FETCH',
  ARTICLE_EXTRACT: 'CV_ERR_ARTICLE_EXTRACT',
  BACKFILL_RANGE: 'CV_ERR_BACKFILL_RANGE',
  INSTANCE_RUNNING: 'CV_ERR_INSTANCE_RUNNING',
  PORT_IN_USE: 'CV_ERR_PORT_IN_USE',
  ANALYTICS_WORKER_FAILED: 'CV_ERR_ANALYTICS_WORKER_FAILED'
} as const

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

export interface ErrorFlags {
  /** The same operation may succeed later (a broker restarting, a database coming back). */
  retryable?: boolean
  /** The input, not the system, is at fault: route it to the dead-letter topic and move on. */
  deadLetter?: boolean
  /** The process cannot continue; exit with this error's message. */
  fatal?: boolean
}

export class CryptoVizError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly deadLetter: boolean
  readonly fatal: boolean

  constructor(code: ErrorCode, message: string, options: ErrorFlags & { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CryptoVizError'
    this.code = code
    this.retryable = options.retryable ?? false
    this.deadLetter = options.deadLetter ?? false
    this.fatal = options.fatal ?? false
  }
}

export function isCryptoVizError(error: unknown, code?: ErrorCode): error is CryptoVizError {
  return error instanceof CryptoVizError && (code === undefined || error.code === code)
}

/** The message of any thrown value, for logs; keeps the cause chain readable on one line. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const parts = [error.message]
  let cause: unknown = error.cause
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    // Wrappers often quote their cause already; repeat only what is new.
    const message = cause.message
    if (!parts.some(part => part.includes(message))) parts.push(message)
    cause = cause.cause
  }
  return parts.filter(Boolean).join(': ')
}
