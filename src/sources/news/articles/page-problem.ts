/**
 * Why an article page gave no main text, in words a dashboard can group by. Every kind leaves the
 * article as the feed described it, marked with the reason; none stops the feed or the pipeline.
 */
import { CryptoVizError, ErrorCodes } from '../../../errors/errors.ts'

export type PageProblemKind =
  /** robots.txt disallows the page for our agent, or could not be read (then assumed to). */
  | 'robots'
  /** 401, 402 or 403: a paywall, a login or a bot wall. */
  | 'forbidden'
  | 'not_found'
  /** 429 or 503. */
  | 'rate_limited'
  | 'http_status'
  | 'timeout'
  | 'too_large'
  /** Not an HTML page (PDF, image, JSON…). */
  | 'not_html'
  /** Too many redirects, a redirect to another scheme, or to a non-http(s) URL. */
  | 'redirect'
  /** The host resolves to a private, loopback or otherwise internal address. */
  | 'blocked_address'
  | 'network'
  /** The page parsed but has no article text (a script-only page, a teaser behind a paywall). */
  | 'no_main_text'
  | 'extract_error'
  /** The article waited its whole budget for a turn (per-host rate limit, concurrency). */
  | 'budget'
  | 'shutdown'

const extractKinds = new Set<PageProblemKind>(['no_main_text', 'extract_error'])

export class PageProblem extends CryptoVizError {
  readonly kind: PageProblemKind
  readonly status: number | undefined

  constructor(kind: PageProblemKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(extractKinds.has(kind) ? ErrorCodes.ARTICLE_EXTRACT : ErrorCodes.ARTICLE_FETCH, message, {
      cause: options.cause
    })
    this.kind = kind
    this.status = options.status
  }
}

/** The PageProblem kind of an HTTP status that is not a success or a redirect. */
export function statusKind(status: number): PageProblemKind {
  if (status === 401 || status === 402 || status === 403) return 'forbidden'
  if (status === 404 || status === 410) return 'not_found'
  if (status === 429 || status === 503) return 'rate_limited'
  return 'http_status'
}
