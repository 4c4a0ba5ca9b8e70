/**
 * The canonical form of an article URL, the primary key of an article across feeds and restarts:
 * lowercase host without `www.`, no fragment, no tracking parameters (utm_*, fbclid, gclid, …, and
 * the feeds' own `outputType`/`ref` markers), remaining parameters sorted, no trailing slash.
 * Links that are not http(s) (`javascript:`, `data:`) are refused.
 */
import { createHash } from 'node:crypto'

const tracking =
  /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|igshid|ref|ref_src|src|source|outputtype|cmpid|ncid|guccounter|rss|feed)$/i

export function canonicalUrl(link: string, base?: string): string | undefined {
  let url: URL
  try {
    url = new URL(link.trim(), base)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  url.hash = ''
  url.username = ''
  url.password = ''
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '')
  const kept = [...url.searchParams]
    .filter(([key]) => !tracking.test(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  url.search = new URLSearchParams(kept).toString()
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, '')
  return url.toString()
}

/**
 * A stable article id: 32 hex of SHA-256 over the canonical URL without its scheme, so the same
 * story linked over http and https is one article.
 */
export function articleId(canonical: string): string {
  return createHash('sha256')
    .update(canonical.replace(/^https?:\/\//, ''))
    .digest('hex')
    .slice(0, 32)
}

const sourceSuffix =
  /\s+[-–—|]\s+(cointelegraph|coindesk|decrypt|the block|bitcoin magazine|cryptoslate|blockworks|dl news|bitcoinist|newsbtc|u\.today|beincrypto|cryptopotato|the defiant)[^-–—|]*$/i

/** A short hash of a title normalized for near-duplicate detection across sources. */
export function titleKey(title: string): string {
  const normalized = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(sourceSuffix, '') // "… - Cointelegraph.com News" in aggregators
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
  return createHash('sha256').update(normalized).digest('hex').slice(0, 24)
}
