/**
 * A loopback news site farm: serves the fixture RSS/Atom documents (fixtures/feeds) as the real
 * sites do, with ETag and Last-Modified and 304s for conditional requests, plus the ways real feeds
 * fail: broken documents (truncated XML, a Cloudflare HTML page, a mislabelled encoding, an OPML
 * file), and by path, `/status/<code>` (403, 429 with Retry-After, 500), `/slow` (answers after
 * `?ms=`, default never within a feed timeout) and `/redirect/<file>`. Documents can be replaced at
 * run time (a feed publishing a new item). With `shiftDates`, item dates move so the newest one is
 * "now" (replay mode shows fresh news, not November 2025's).
 */
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type FeedItemText, defaultPagesDir, itemsOf, servePage, siteRoute } from './article-pages.ts'
import { shiftFeedDates } from './shift-dates.ts'

export interface FakeFeedsOptions {
  /** Folder of fixtures (default fixtures/feeds of this repository). */
  dir?: string
  host?: string
  port?: number
  shiftDates?: boolean
  /** Folder of article page fixtures (default fixtures/pages of this repository). */
  pagesDir?: string
}

export interface FeedEndpoint {
  name: string
  url: string
}

export interface FakeFeeds {
  readonly baseUrl: string
  /** The well-formed feeds (top-level fixtures), one per source. */
  readonly feeds: readonly FeedEndpoint[]
  /** URL of a served path, e.g. url('broken/truncated.xml') or url('status/403'). */
  url(path: string): string
  /** Replaces (or adds) a document, e.g. to publish a new item; its ETag changes with it. */
  setDocument(path: string, body: string | Buffer): void
  /** Where an article URL is served by this server's site farm (the producer's page route). */
  readonly route: (url: URL) => URL
  /** This server's host:port, to allow although it is a loopback address. */
  readonly host: string
  /** Requests seen per path, and how many were answered 304. */
  stats(): { requests: Record<string, number>; notModified: number }
  close(): Promise<void>
}

interface Document {
  body: Buffer
  etag: string
  lastModified: string
}

export const defaultFeedsDir = new URL('../../../fixtures/feeds/', import.meta.url).pathname

function contentType(path: string): string {
  if (path.endsWith('.html')) return 'text/html; charset=utf-8'
  return 'application/xml'
}

export async function startFakeFeeds(options: FakeFeedsOptions = {}): Promise<FakeFeeds> {
  const dir = options.dir ?? defaultFeedsDir
  const documents = new Map<string, Document>()
  const requests: Record<string, number> = {}
  let notModified = 0
  const pending = new Set<ServerResponse>()
  const now = Date.now()
  let items: Map<string, FeedItemText> | undefined
  const serving = {
    dir: (options.pagesDir ?? defaultPagesDir).replace(/\/?$/, '/'),
    items: () => (items ??= itemsOf([...documents].filter(([p]) => !p.includes('/')).map(([, d]) => d.body))),
    pending,
    requests
  }

  const store = (path: string, body: Buffer): void => {
    documents.set(path, {
      body,
      etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`,
      lastModified: new Date(Math.floor(Date.now() / 1000) * 1000).toUTCString()
    })
  }
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name).slice(dir.replace(/\/?$/, '/').length)
    const bytes = readFileSync(join(entry.parentPath, entry.name))
    store(path, options.shiftDates === true && !path.includes('/') ? shiftFeedDates(bytes, now) : bytes)
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const path = decodeURIComponent(url.pathname.slice(1))
    requests[path] = (requests[path] ?? 0) + 1
    const status = /^status\/(\d{3})$/.exec(path)?.[1]
    if (status !== undefined) {
      const headers: Record<string, string> = { 'content-type': 'text/html' }
      if (status === '429' || status === '503')
        headers['retry-after'] = url.searchParams.get('retryAfter') ?? '120'
      response.writeHead(Number(status), headers).end(`<html><body>${status}</body></html>`)
      return
    }
    if (servePage(path, response, serving)) return
    if (path === 'slow') {
      pending.add(response)
      const ms = Number(url.searchParams.get('ms') ?? 3_600_000)
      const timer = setTimeout(() => {
        pending.delete(response)
        response
          .writeHead(200, { 'content-type': 'application/xml' })
          .end('<rss version="2.0"><channel><title>slow</title></channel></rss>')
      }, ms)
      response.on('close', () => clearTimeout(timer))
      return
    }
    if (path.startsWith('redirect/')) {
      response.writeHead(301, { location: `/${path.slice('redirect/'.length)}` }).end()
      return
    }
    const document = documents.get(path.replace(/^feeds\//, ''))
    if (document === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>')
      return
    }
    const ims = request.headers['if-modified-since']
    if (
      request.headers['if-none-match'] === document.etag ||
      (ims !== undefined && request.headers['if-none-match'] === undefined && ims === document.lastModified)
    ) {
      notModified++
      response.writeHead(304, { etag: document.etag, 'last-modified': document.lastModified }).end()
      return
    }
    response
      .writeHead(200, {
        'content-type': contentType(path),
        etag: document.etag,
        'last-modified': document.lastModified
      })
      .end(document.body)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`
  const feeds = [...documents.keys()]
    .filter(path => !path.includes('/') && path.endsWith('.xml'))
    .sort()
    .map(path => ({ name: path.replace(/\.xml$/, ''), url: `${baseUrl}/feeds/${path}` }))
  return {
    baseUrl,
    feeds,
    url: path => `${baseUrl}/${documents.has(path) ? `feeds/${path}` : path}`,
    route: siteRoute(baseUrl),
    host: new URL(baseUrl).host,
    setDocument: (path, body) => {
      store(path, Buffer.isBuffer(body) ? body : Buffer.from(body))
      items = undefined
    },
    stats: () => ({ requests: { ...requests }, notModified }),
    close: async () => {
      for (const response of pending) response.destroy()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}
