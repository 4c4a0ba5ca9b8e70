/**
 * One GET of a web page for the article reader, safe against what a hostile page or feed can do:
 *
 * - redirects are followed by hand (at most `maxRedirects`), each hop checked again: http(s) only,
 *   no credentials, never from https down to http;
 * - every address a host name resolves to is checked at connection time (in the socket's own
 *   lookup, so a DNS answer cannot change between check and use) and private, loopback and
 *   link-local ones are refused, unless the host is explicitly allowed;
 * - one time budget covers DNS, connection, redirects, headers and body (a slow-drip page ends at
 *   the deadline, not per chunk);
 * - the body is read up to `maxBytes` after decompression (a gzip bomb is cut off too), and a
 *   declared Content-Length above it is refused before reading;
 * - the Content-Type must be what the caller accepts.
 *
 * `route` maps the URL we mean to where we connect (replay: the loopback site farm); the URL we
 * mean stays what redirects resolve against and what the caller sees.
 */
import { type LookupAddress, lookup as dnsLookup } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import type { Readable, Transform } from 'node:stream'
import zlib from 'node:zlib'
import { describeError } from '../../../errors/errors.ts'
import { isAllowedHost, isBlockedAddress } from './address-policy.ts'
import { PageProblem, statusKind } from './page-problem.ts'

export interface PageRequest {
  userAgent: string
  timeoutMs: number
  maxBytes: number
  maxRedirects: number
  /** Which bodies are wanted: HTML pages, or any text (robots.txt). */
  accept: 'html' | 'text'
  /** Hosts (`host` or `host:port`) that may resolve to private addresses. */
  allowPrivate: ReadonlySet<string>
  route?: ((url: URL) => URL) | undefined
  signal?: AbortSignal | undefined
}

export interface PageResponse {
  /** The URL after redirects (as meant, not as routed). */
  url: string
  status: number
  contentType: string | undefined
  bytes: Buffer
  redirects: number
}

const ACCEPT = {
  html: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  text: 'text/plain,*/*;q=0.5'
}

function guardedLookup(hostname: string): LookupFunction {
  return (host, options, callback) => {
    dnsLookup(host, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) return callback(error, '', 0)
      const bad = addresses.find(a => isBlockedAddress(a.address))
      if (bad !== undefined || addresses.length === 0) {
        const problem = new PageProblem(
          'blocked_address',
          `${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not a public address`
        )
        return callback(problem as unknown as NodeJS.ErrnoException, '', 0)
      }
      if (options.all === true)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      const first = addresses[0] as LookupAddress
      callback(null, first.address, first.family)
    })
  }
}

function checkUrl(url: URL, from: URL | undefined, hops: number, max: number): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PageProblem('redirect', `${url.protocol} URLs are not fetched`)
  if (url.username !== '' || url.password !== '')
    throw new PageProblem('redirect', 'URLs with credentials are not fetched')
  if (from?.protocol === 'https:' && url.protocol === 'http:')
    throw new PageProblem('redirect', `redirect from https down to http (${url.origin}) refused`)
  if (hops > max) throw new PageProblem('redirect', `more than ${max} redirects`)
}

function accepted(contentType: string | undefined, accept: PageRequest['accept']): boolean {
  if (accept === 'text') return true
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  return type === 'text/html' || type === 'application/xhtml+xml'
}

function decoder(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return undefined
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip()
    case 'deflate':
      return zlib.createInflate()
    case 'br':
      return zlib.createBrotliDecompress()
    default:
      throw new PageProblem('http_status', `unsupported Content-Encoding ${encoding}`)
  }
}

function readBody(response: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let stream: Readable
    try {
      const inflate = decoder(response.headers['content-encoding'])
      stream = inflate === undefined ? response : response.pipe(inflate)
    } catch (error) {
      response.destroy()
      reject(error)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    // The first reason wins: destroying the response below emits its own 'aborted' and errors.
    const stop = (error: unknown): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      reject(error)
      response.destroy()
      if (stream !== response) stream.destroy()
    }
    const onAbort = (): void => stop(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > maxBytes) stop(new PageProblem('too_large', `body exceeds ${maxBytes} bytes`))
      else chunks.push(chunk)
    })
    stream.once('error', error => stop(new PageProblem('network', describeError(error), { cause: error })))
    response.once('aborted', () => stop(new PageProblem('network', 'connection closed mid-body')))
    stream.once('end', () => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      resolve(Buffer.concat(chunks))
    })
  })
}

function get(
  target: URL,
  meant: URL,
  request: PageRequest,
  signal: AbortSignal
): Promise<http.IncomingMessage> {
  const allowed = isAllowedHost(target, request.allowPrivate)
  // An address in the URL itself is refused even when routed elsewhere (replay), as it would be live.
  for (const url of [meant, target]) {
    const literal = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0
    if (literal && !isAllowedHost(url, request.allowPrivate) && isBlockedAddress(url.hostname))
      return Promise.reject(new PageProblem('blocked_address', `${url.hostname} is not a public address`))
  }
  const client = target.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const outgoing = client.get(
      target,
      {
        headers: {
          'user-agent': request.userAgent,
          accept: ACCEPT[request.accept],
          'accept-language': 'en;q=1.0, *;q=0.5',
          'accept-encoding': 'gzip, deflate, br'
        },
        signal,
        ...(allowed ? {} : { lookup: guardedLookup(meant.hostname) }),
        // Each page on its own connection: nothing of one hostile response lingers for the next.
        agent: false
      },
      resolve
    )
    outgoing.once('error', reject)
  })
}

function problemOf(
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
  deadline: AbortSignal
): PageProblem {
  if (error instanceof PageProblem) return error
  if (deadline.aborted)
    return new PageProblem('timeout', `no complete page within ${timeoutMs} ms`, { cause: error })
  if (signal.aborted) return new PageProblem('shutdown', 'stopped', { cause: error })
  const cause = (error as { cause?: unknown }).cause
  if (cause instanceof PageProblem) return cause
  return new PageProblem('network', describeError(error), { cause: error })
}

export async function fetchPage(address: string, request: PageRequest): Promise<PageResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal === undefined ? deadline : AbortSignal.any([deadline, request.signal])
  let meant: URL
  try {
    meant = new URL(address)
  } catch (error) {
    throw new PageProblem('redirect', `not a URL: ${address.slice(0, 200)}`, { cause: error })
  }
  let previous: URL | undefined
  try {
    for (let hops = 0; ; hops++) {
      checkUrl(meant, previous, hops, request.maxRedirects)
      const response = await get(request.route?.(meant) ?? meant, meant, request, signal)
      const status = response.statusCode ?? 0
      const location = response.headers.location
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume()
        previous = meant
        try {
          meant = new URL(location, meant)
        } catch (error) {
          throw new PageProblem('redirect', `unreadable Location ${location.slice(0, 200)}`, { cause: error })
        }
        continue
      }
      const contentType = response.headers['content-type']
      if (status < 200 || status >= 300) {
        response.resume()
        throw new PageProblem(statusKind(status), `HTTP ${status}`, { status })
      }
      if (!accepted(contentType, request.accept)) {
        response.resume()
        throw new PageProblem('not_html', `Content-Type ${contentType ?? 'missing'} is not an HTML page`)
      }
      const declared = Number(response.headers['content-length'] ?? NaN)
      if (declared > request.maxBytes) {
        response.destroy()
        throw new PageProblem('too_large', `Content-Length ${declared} exceeds ${request.maxBytes} bytes`)
      }
      const bytes = await readBody(response, request.maxBytes, signal)
      return { url: meant.toString(), status, contentType, bytes, redirects: hops }
    }
  } catch (error) {
    throw problemOf(error, request.signal ?? new AbortController().signal, request.timeoutMs, deadline)
  }
}
