/**
 * Why a feed poll failed, in words a dashboard can group by: the HTTP side (status, timeout,
 * network, size) is FEED_FETCH, the document side (not XML, broken XML, unknown root, encoding)
 * is FEED_PARSE. Either way only that feed is affected.
 */
import { CryptoVizError, ErrorCodes } from '../../errors/errors.ts'

export type FeedProblemKind =
  'http_status' | 'timeout' | 'network' | 'too_large' | 'not_xml' | 'bad_xml' | 'unknown_format' | 'encoding'

const parseKinds = new Set<FeedProblemKind>(['not_xml', 'bad_xml', 'unknown_format', 'encoding'])

export class FeedProblem extends CryptoVizError {
  readonly kind: FeedProblemKind
  readonly status: number | undefined
  /** From Retry-After on 429/503: the feed is not asked again before this. */
  readonly retryAfterMs: number | undefined

  constructor(
    kind: FeedProblemKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}
  ) {
    super(parseKinds.has(kind) ? ErrorCodes.FEED_PARSE : ErrorCodes.FEED_FETCH, message, {
      retryable: true,
      cause: options.cause
    })
    this.kind = kind
    this.status = options.status
    this.retryAfterMs = options.retryAfterMs
  }
}
