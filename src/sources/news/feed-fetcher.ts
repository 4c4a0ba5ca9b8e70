/**
 * One conditional GET of a feed: sends the validators of the last good response (ETag,
 * Last-Modified) so an unchanged feed costs a 304, a browser-like User-Agent (some sites answer 403
 * to bots), a timeout, and a size cap. Anything that is not a usable body becomes a FeedProblem
 * saying what went wrong; 429 and 503 carry Retry-After.
 */
import { describeError } from '../../errors/errors.ts'
import { FeedProblem } from './feed-problem.ts'

export interface Validators {
  etag?: string
  lastModified?: string
}

export type FetchResult =
  | { kind: 'not-modified' }
  | { kind: 'body'; bytes: Uint8Array; contentType: string | undefined; validators: Validators }

export interface FetchOptions {
  userAgent: string
  timeoutMs: number
  maxBytes?: number
  signal?: AbortSignal
}

function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

export async function fetchFeed(
  url: string,
  validators: Validators,
  options: FetchOptions
): Promise<FetchResult> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept:
      'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5'
  }
  if (validators.etag !== undefined) headers['if-none-match'] = validators.etag
  if (validators.lastModified !== undefined) headers['if-modified-since'] = validators.lastModified
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
  let response: Response
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' })
  } catch (error) {
    if (timeout.aborted)
      throw new FeedProblem('timeout', `no answer within ${options.timeoutMs} ms`, { cause: error })
    throw new FeedProblem('network', describeError(error), { cause: error })
  }
  if (response.status === 304) {
    await response.body?.cancel()
    return { kind: 'not-modified' }
  }
  if (!response.ok) {
    await response.body?.cancel()
    const wait = retryAfter(response.headers.get('retry-after'))
    throw new FeedProblem(
      'http_status',
      `HTTP ${response.status}${response.status === 403 ? ' (bot protection? check NEWS_USER_AGENT)' : ''}`,
      {
        status: response.status,
        ...(wait === undefined ? {} : { retryAfterMs: wait })
      }
    )
  }
  const bytes = await readCapped(response, options.maxBytes ?? 5_000_000, timeout, options.timeoutMs)
  const etag = response.headers.get('etag')
  const lastModified = response.headers.get('last-modified')
  return {
    kind: 'body',
    bytes,
    contentType: response.headers.get('content-type') ?? undefined,
    validators: { ...(etag === null ? {} : { etag }), ...(lastModified === null ? {} : { lastModified }) }
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
  timeout: AbortSignal,
  timeoutMs: number
): Promise<Uint8Array> {
  const reader = response.body?.getReader()
  if (reader === undefined) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw new FeedProblem('too_large', `body exceeds ${maxBytes} bytes`)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof FeedProblem) throw error
    if (timeout.aborted)
      throw new FeedProblem('timeout', `body not complete within ${timeoutMs} ms`, { cause: error })
    throw new FeedProblem('network', describeError(error), { cause: error })
  }
  return Buffer.concat(chunks)
}
