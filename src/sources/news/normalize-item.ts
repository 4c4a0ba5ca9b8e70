/**
 * A raw feed item to an `article` v1 message: canonical URL and stable id, plain text from
 * HTML/CDATA, a published time or the fetch time marked as estimated, authors and categories
 * without repeats, an image, coin mentions, and a sponsored flag for press releases. Returns a
 * reason instead of an article for items that cannot be one (no usable link or title). Pure.
 */
import type { ArticleV1 } from '../../schemas/index.ts'
import { articleId, canonicalUrl } from './canonical-url.ts'
import { coinMentions } from './coin-mentions.ts'
import type { RawItem } from './feed-parser.ts'
import { firstImage, htmlToText } from './html-text.ts'

export interface FeedContext {
  source: string
  feedUrl: string
  /** The channel's own link, for relative item links. */
  channelLink: string | undefined
  /** Fetch time, RFC 3339 µs. */
  fetchedAt: string
}

export type Normalized = { ok: true; article: ArticleV1 } | { ok: false; reason: string }

const FUTURE_TOLERANCE_MS = 86_400_000
const sponsoredPath = /\/(press-releases?|sponsored|partner-content|pr)\//i
const sponsoredWords = /^(sponsored|press release|partner content|advertorial)$/i

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function unique(values: readonly string[], max: number): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const value of values.map(v => clip(htmlToText(v), 300)).filter(Boolean)) {
    const key = value.toLowerCase()
    if (!seen.has(key)) {
      seen.add(key)
      out.push(value)
    }
    if (out.length >= max) break
  }
  return out
}

/** RFC 822 (`Sun, 21 Jun 2026 07:12:35 +0000`, `EST`), ISO 8601; undefined if unusable. */
export function parseDate(text: string, now: number): string | undefined {
  const ms = Date.parse(text.trim())
  if (Number.isNaN(ms) || ms > now + FUTURE_TOLERANCE_MS || ms < Date.UTC(1995, 0, 1)) return undefined
  return new Date(ms).toISOString()
}

export function normalizeItem(item: RawItem, feed: FeedContext): Normalized {
  const link =
    item.link ?? (item.guid !== undefined && /^https?:\/\//.test(item.guid) ? item.guid : undefined)
  const url = link === undefined ? undefined : canonicalUrl(link, feed.channelLink)
  if (url === undefined)
    return { ok: false, reason: `no usable http(s) link (${JSON.stringify(link ?? null)})` }
  const title = clip(htmlToText(item.title), 1000)
  if (title === '') return { ok: false, reason: 'no title' }
  const summary = clip(htmlToText(item.summary), 20_000)
  const contentText = item.content === undefined ? '' : clip(htmlToText(item.content), 500_000)
  const now = Date.parse(feed.fetchedAt)
  const published = item.dates.map(d => parseDate(d, now)).find(d => d !== undefined)
  const categories = unique(item.categories, 100)
  const image = [...item.images, firstImage(item.content ?? ''), firstImage(item.summary)]
    .map(src => (src === undefined ? undefined : canonicalImage(src, link)))
    .find(src => src !== undefined)
  const sponsored =
    sponsoredPath.test(new URL(url).pathname) ||
    categories.some(c => sponsoredWords.test(c)) ||
    /^(sponsored|press release)\b/i.test(title)
  const article: ArticleV1 = {
    v: 1,
    type: 'article',
    id: articleId(url),
    source: feed.source,
    feedUrl: feed.feedUrl,
    url,
    title,
    summary: summary === '' ? clip(contentText, 500) : summary,
    ...(contentText === '' ? {} : { content: contentText, extraction: { status: 'feed' as const } }),
    authors: unique(item.authors, 50),
    categories,
    ...(image === undefined ? {} : { imageUrl: image }),
    publishedAt: published ?? new Date(now).toISOString(),
    publishedAtEstimated: published === undefined,
    coins: coinMentions({ title, body: `${summary}\n${contentText}`, categories }),
    sponsored,
    fetchedAt: feed.fetchedAt
  }
  return { ok: true, article }
}

function canonicalImage(src: string, base: string | undefined): string | undefined {
  try {
    const url = new URL(src.trim(), base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined
  } catch {
    return undefined
  }
}
