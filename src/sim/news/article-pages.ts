/**
 * The article pages behind the fake feeds, served on the feed server's port under
 * `/sites/<host>/<path>` (replay routes every article URL there, see `siteRoute`):
 *
 * - `fixtures/pages/<host>/<path>.html`, and `robots.txt` per host, as written (hand-made pages with
 *   menus, footers, asides and the expected main text); a file whose name ends in `.cp1252.html` is
 *   sent with a lying `charset=utf-8` header (a wrong-charset page);
 * - any other page a fixture feed links to, generated from its item: title, summary and content as
 *   the article, inside a site's navigation, share bar, related links, newsletter box and footer;
 * - hostile pages on the host `hostile.example`: `huge` (endless body), `slow` (headers, then a
 *   byte now and then), `malformed` (unclosed tags), `script-heavy` (1.8 MB of scripts around a
 *   short text), `script-only` (text written by JavaScript), `bomb` (gzip that inflates to 256 MiB),
 *   `pdf`, `loop` (redirects to itself), `to-private` (redirects to 10.0.0.1), `to-http` (redirects
 *   https down to http), `paywall` (402), `forbidden` (403).
 */
import { existsSync, readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join, normalize } from 'node:path'
import { gzipSync } from 'node:zlib'
import { decode } from 'html-entities'

export const defaultPagesDir = new URL('../../../fixtures/pages/', import.meta.url).pathname

/** Maps an article URL to where the site farm serves it (the producer's page route in replay). */
export function siteRoute(baseUrl: string): (url: URL) => URL {
  return url => new URL(`/sites/${url.host}${url.pathname}${url.search}`, baseUrl)
}

export interface FeedItemText {
  title: string
  paragraphs: string[]
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Items of the fixture feeds by canonical-ish key `host/path` (no www., no query, no trailing slash). */
export function itemsOf(documents: Iterable<Buffer>): Map<string, FeedItemText> {
  const items = new Map<string, FeedItemText>()
  // An element's content as the feed means it: CDATA unwrapped, XML entities decoded (the HTML
  // inside, entities and all, stays HTML until it is turned into the page's text below).
  const text = (block: string, tag: string): string => {
    const raw = new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(block)?.[1] ?? ''
    const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw)
    return cdata === null ? decode(raw, { level: 'xml' }) : (cdata[1] ?? '')
  }
  // HTML text decoded as the producer decodes feed text: once, and again when the feed
  // double-encoded it (`&amp;#8217;`), so the page shows the words the feed meant.
  const words = (html: string): string => {
    const once = decode(html, { level: 'html5' })
    return /&(#\d+|#x[\da-f]+|[a-z]+\d*);/i.test(once) ? decode(once, { level: 'html5' }) : once
  }
  for (const body of documents) {
    const xml = body.toString('utf8')
    for (const [block] of xml.matchAll(/<(item|entry)\b[\s\S]*?<\/\1>/g)) {
      const link = /<link[^>]*href="([^"]+)"/.exec(block)?.[1] ?? text(block, 'link')
      let url: URL
      try {
        url = new URL(link.trim())
      } catch {
        continue
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue
      const html = [
        text(block, 'description'),
        text(block, 'summary'),
        text(block, 'content:encoded'),
        text(block, 'content')
      ].join('\n')
      const paragraphs = html
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
        .split(/<\/p>|<br\s*\/?>|\n{2,}/i)
        .map(p =>
          words(p.replace(/<[^>]+>/g, ' '))
            .replace(/\s+/g, ' ')
            .trim()
        )
        .filter(p => p.length > 20)
      items.set(pageKey(url), {
        title: words(text(block, 'title').replace(/<[^>]+>/g, '')).trim(),
        paragraphs
      })
    }
  }
  return items
}

export function pageKey(url: URL): string {
  return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}`
}

/** A news site's page around an article: everything Readability must leave out, and the article. */
export function sitePage(host: string, item: FeedItemText): string {
  // The fixture items are short; a page stands in for the publisher's article with the item's own
  // text and neutral paragraphs (no coins, no scored words) so Readability has an article to find.
  const filler = [
    'This page was generated for replay mode from its feed item. It stands in for the publisher’s own article, whose text is not copied here, so that the article reader has a page to read.',
    'Figures quoted in the item belong to the session being replayed and change with it. Dates move with the replay clock as well, so the page always describes the present of the replay.',
    'Readers looking for the original story can follow the link to the publisher’s site. The pipeline keeps only an excerpt of each page and credits its source with that link.'
  ]
  const paragraphs = [...item.paragraphs, ...filler].map(p => `<p>${escapeHtml(p)}</p>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(item.title)} | ${host}</title>
<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script></head>
<body>
<header class="site-header"><a class="logo" href="/">${host}</a>
<nav class="menu"><ul><li><a href="/markets">Markets</a></li><li><a href="/policy">Policy</a></li><li><a href="/tech">Tech</a></li><li><a href="/newsletters">Newsletters</a></li><li><a href="/events">Events</a></li></ul></nav></header>
<div class="share"><a href="#">Share on X</a> <a href="#">Share on LinkedIn</a> <a href="#">Copy link</a></div>
<main><article class="story">
<h1>${escapeHtml(item.title)}</h1><p class="byline">By the replay desk</p>
<div class="story-body">
${paragraphs}
</div></article>
<aside class="related"><h2>Most read</h2><ul><li><a href="/a">Five charts that explain the week</a></li><li><a href="/b">What the Fed decision means for markets</a></li><li><a href="/c">Newsletter: the daily briefing</a></li></ul></aside>
<section class="newsletter"><h2>Sign up for our newsletter</h2><form><input type="email" placeholder="Email"><button>Subscribe</button></form></section>
</main>
<footer class="site-footer"><p>© 2026 ${host}. All rights reserved.</p><ul><li><a href="/about">About</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/cookies">Cookie settings</a></li></ul></footer>
<script src="/static/app.js"></script>
</body></html>`
}

function hostile(kind: string, response: ServerResponse, pending: Set<ServerResponse>): boolean {
  const html = { 'content-type': 'text/html; charset=utf-8' }
  const words = 'Bitcoin traders watched the order books closely as liquidity thinned into the weekend. '
  switch (kind) {
    case 'huge': {
      response.writeHead(200, html)
      const chunk = Buffer.from(`<p>${words.repeat(200)}</p>\n`)
      const write = (): void => {
        while (!response.destroyed && response.write(chunk)) {
          /* fill the socket until it pushes back */
        }
        if (!response.destroyed) response.once('drain', write)
      }
      write()
      return true
    }
    case 'slow': {
      response.writeHead(200, html)
      response.write('<html><body><article><p>')
      pending.add(response)
      const timer = setInterval(() => response.write('.'), 200)
      response.on('close', () => {
        clearInterval(timer)
        pending.delete(response)
      })
      return true
    }
    case 'malformed':
      // Unclosed paragraphs and inline tags, mis-nested blocks, stray end tags, unquoted attributes,
      // a bare < and no closing body or html: what hand-edited CMS templates produce.
      response
        .writeHead(200, html)
        .end(
          `<html><head><title>Malformed</title><body><div class=nav><a href=/>Home<a href=/x>More</div></span>` +
            `<article><h1>Broken markup, readable story</h1><p>${words.repeat(4)}<p>${words.repeat(4)} 3 < 5 <b>bold <i>both</b> italic</i>` +
            `<p>The exchange said withdrawals would resume on Monday<div><span>unclosed <b>tags <i>everywhere</article></div>` +
            `<footer>Footer links</foo`
        )
      return true
    case 'script-heavy': {
      const script = `<script>var x = "${'a'.repeat(60_000)}";</script>\n`.repeat(10)
      response
        .writeHead(200, html)
        .end(
          `<html><head>${script}</head><body><nav>Home Markets Tech</nav><article><h1>Scripts everywhere</h1>` +
            `<p>${words.repeat(4)}</p>${script}<p>${words.repeat(4)}</p></article>${script}<footer>Footer</footer></body></html>`
        )
      return true
    }
    case 'script-only':
      response
        .writeHead(200, html)
        .end(
          `<html><body><div id="root"></div><script>document.getElementById('root').innerHTML = '<p>${words.repeat(8)}</p>'</script></body></html>`
        )
      return true
    case 'bomb': {
      response.writeHead(200, { ...html, 'content-encoding': 'gzip' }).end(bomb())
      return true
    }
    case 'pdf':
      response.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7\n%…')
      return true
    case 'loop':
      response.writeHead(302, { location: '/loop' }).end()
      return true
    case 'to-private':
      response.writeHead(302, { location: 'https://10.0.0.1/admin' }).end()
      return true
    case 'to-http':
      response.writeHead(301, { location: 'http://hostile.example/plain' }).end()
      return true
    case 'paywall':
      response.writeHead(402, html).end('<html><body>Subscribe to read</body></html>')
      return true
    case 'forbidden':
      response.writeHead(403, html).end('<html><body>Access denied</body></html>')
      return true
    default:
      return false
  }
}

let bombBytes: Buffer | undefined
/**
 * An HTML page that inflates to 256 MiB from about 256 KB: gzip members (each 1 MiB of spaces)
 * one after the other, which is valid gzip and cheap to build.
 */
function bomb(): Buffer {
  if (bombBytes === undefined) {
    const member = gzipSync(Buffer.alloc(1 << 20, 32), { level: 9 })
    bombBytes = Buffer.concat([gzipSync('<html><body><p>'), ...Array.from({ length: 256 }, () => member)])
  }
  return bombBytes
}

export interface PageServing {
  dir: string
  /** The fixture feeds' items, by pageKey. */
  items: () => Map<string, FeedItemText>
  pending: Set<ServerResponse>
  requests: Record<string, number>
}

/** Answers `/sites/<host>/<path>`; false when the path is not one of the farm's. */
export function servePage(path: string, response: ServerResponse, serving: PageServing): boolean {
  const match = /^sites\/([^/]+)(\/.*)?$/.exec(path)
  if (match === null) return false
  const host = (match[1] ?? '').toLowerCase()
  const rest = (match[2] ?? '/').replace(/\/+$/, '') || '/'
  serving.requests[`sites/${host}${rest}`] = (serving.requests[`sites/${host}${rest}`] ?? 0) + 1
  if (host === 'hostile.example' && hostile(rest.slice(1), response, serving.pending)) return true
  const file = normalize(join(serving.dir, host, rest === '/robots.txt' ? 'robots.txt' : `${rest}.html`))
  const lying = normalize(join(serving.dir, host, `${rest}.cp1252.html`))
  if (!file.startsWith(serving.dir)) {
    response.writeHead(400).end()
    return true
  }
  if (rest === '/robots.txt') {
    const body = existsSync(file) ? readFileSync(file) : 'User-agent: *\nDisallow: /private/\n'
    response.writeHead(200, { 'content-type': 'text/plain' }).end(body)
    return true
  }
  if (existsSync(file) || existsSync(lying)) {
    const own = existsSync(file)
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(readFileSync(own ? file : lying))
    return true
  }
  const item = serving.items().get(`${host.replace(/^www\./, '')}${rest}`)
  if (item === undefined) {
    response.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Page not found</body></html>')
    return true
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(sitePage(host, item))
  return true
}
