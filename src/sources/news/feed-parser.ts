/**
 * RSS 2.0, Atom 1.0 and RSS 1.0 (RDF) documents to one raw item shape, field by field (title, link,
 * guid or id, dates, summary or content, categories). Pitfalls handled here: bodies that are HTML
 * pages (bot walls) rather than XML, broken XML, single vs repeated elements (forced to arrays), numeric guids kept as text,
 * Atom text constructs with attributes or XHTML inside, and relative links resolved against the
 * channel's link. Text is returned as the feed gave it (HTML and entities included): cleaning is
 * normalize-item.ts's job.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { decode } from 'html-entities'
import { FeedProblem } from './feed-problem.ts'

export type FeedFormat = 'rss' | 'atom' | 'rdf'

export interface RawItem {
  guid: string | undefined
  link: string | undefined
  title: string
  /** Summary (RSS description / Atom summary), possibly HTML. */
  summary: string
  /** Full content (content:encoded / Atom content), possibly HTML. */
  content: string | undefined
  /** Date texts in order of preference (pubDate, dc:date, published, updated). */
  dates: string[]
  authors: string[]
  categories: string[]
  /** Image candidates from media:content, media:thumbnail, enclosures. */
  images: string[]
}

export interface RawFeed {
  format: FeedFormat
  title: string
  link: string | undefined
  items: RawItem[]
}

type Node = string | { [key: string]: Node } | Node[] | undefined

const repeated = new Set([
  'item',
  'entry',
  'category',
  'dc:creator',
  'dc:subject',
  'link',
  'author',
  'media:content',
  'media:thumbnail',
  'enclosure'
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: name => repeated.has(name)
})

/** The text of a node, whatever shape the parser gave it (string, {#text}, nested XHTML). */
export function textOf(node: Node): string {
  if (node === undefined) return ''
  if (typeof node === 'string') return node
  if (Array.isArray(node)) return node.map(textOf).join(' ')
  return Object.entries(node)
    .filter(([key]) => !key.startsWith('@'))
    .map(([, value]) => textOf(value))
    .join(' ')
    .trim()
}

// The XML parser decodes the five XML entities only; WordPress writes `&#038;` in URLs.
const attr = (node: Node, name: string): string | undefined => {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined
  const value = node[`@${name}`]
  return typeof value === 'string' ? decode(value) : undefined
}

const list = (node: Node): Node[] => (node === undefined ? [] : Array.isArray(node) ? node : [node])
const field = (node: Node, name: string): Node =>
  node !== undefined && typeof node === 'object' && !Array.isArray(node) ? node[name] : undefined
const texts = (node: Node): string[] =>
  list(node)
    .map(textOf)
    .map(s => s.trim())
    .filter(s => s !== '')

function resolve(link: string | undefined, base: string | undefined): string | undefined {
  if (link === undefined || link.trim() === '') return undefined
  const text = decode(link.trim())
  try {
    return new URL(text, base).toString()
  } catch {
    return text
  }
}

function images(item: Node): string[] {
  const out: string[] = []
  for (const media of [...list(field(item, 'media:content')), ...list(field(item, 'media:thumbnail'))]) {
    const url = attr(media, 'url')
    const medium = attr(media, 'medium')
    const type = attr(media, 'type')
    if (
      url !== undefined &&
      (medium === undefined || medium === 'image') &&
      (type === undefined || type.startsWith('image/'))
    )
      out.push(url)
  }
  for (const enclosure of list(field(item, 'enclosure'))) {
    const url = attr(enclosure, 'url')
    if (url !== undefined && (attr(enclosure, 'type') ?? '').startsWith('image/')) out.push(url)
  }
  return out
}

function rssItem(item: Node, base: string | undefined): RawItem {
  const guid = field(item, 'guid')
  const guidText = decode(textOf(guid).trim()) || undefined
  const link = texts(field(item, 'link'))[0] ?? (attr(guid, 'isPermaLink') === 'false' ? undefined : guidText)
  const author = texts(field(item, 'author')).map(a => /\(([^)]+)\)/.exec(a)?.[1] ?? a)
  return {
    guid: guidText,
    link: resolve(link, base),
    title: textOf(field(item, 'title')),
    summary: textOf(field(item, 'description')),
    content: textOf(field(item, 'content:encoded')) || undefined,
    dates: [textOf(field(item, 'pubDate')), textOf(field(item, 'dc:date'))].filter(Boolean),
    authors: [...texts(field(item, 'dc:creator')), ...author],
    categories: [...texts(field(item, 'category')), ...texts(field(item, 'dc:subject'))],
    images: images(item)
  }
}

function atomEntry(entry: Node, base: string | undefined): RawItem {
  const links = list(field(entry, 'link'))
  const alternate = links.find(l => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0]
  const enclosures = links.filter(
    l => attr(l, 'rel') === 'enclosure' && (attr(l, 'type') ?? '').startsWith('image/')
  )
  return {
    guid: textOf(field(entry, 'id')).trim() || undefined,
    link: resolve(attr(alternate, 'href') ?? textOf(alternate), base),
    title: textOf(field(entry, 'title')),
    summary: textOf(field(entry, 'summary')),
    content: textOf(field(entry, 'content')) || undefined,
    dates: [textOf(field(entry, 'published')), textOf(field(entry, 'updated'))].filter(Boolean),
    authors: list(field(entry, 'author'))
      .map(a => textOf(field(a, 'name')) || textOf(a))
      .filter(Boolean),
    categories: list(field(entry, 'category'))
      .map(c => attr(c, 'term') ?? attr(c, 'label') ?? textOf(c))
      .filter(Boolean),
    images: [
      ...enclosures.map(l => attr(l, 'href')).filter((h): h is string => h !== undefined),
      ...images(entry)
    ]
  }
}

/**
 * Atom text constructs of type "xhtml" hold markup whose words and inline elements are in one order
 * (`Bitcoin <b>rose</b> 5%`). The XML parser groups children by name and trims each text node, so it
 * would scramble the words and drop the spaces between them: such content is handed over as one
 * text (CDATA) instead, and turned into plain text like any feed HTML (html-text.ts).
 */
function xhtmlAsText(xml: string): string {
  return xml.replace(
    /<((?:[\w-]+:)?(?:title|subtitle|summary|content|rights))(\s[^>]*?\btype\s*=\s*["']xhtml["'][^>]*)>([\s\S]*?)<\/\1\s*>/g,
    (_, tag: string, attributes: string, inner: string) =>
      `<${tag}${attributes.replace(/\btype\s*=\s*["']xhtml["']/, 'type="html"')}><![CDATA[${inner.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${tag}>`
  )
}

export function parseFeed(text: string): RawFeed {
  const start = text.replace(/^\uFEFF/, '').trimStart()
  if (!start.startsWith('<'))
    throw new FeedProblem('not_xml', `body is not XML (starts with ${JSON.stringify(start.slice(0, 30))})`)
  if (/^(<!doctype html|<html)/i.test(start)) {
    throw new FeedProblem('not_xml', 'body is an HTML page, not a feed (bot protection or a moved feed?)')
  }
  const valid = XMLValidator.validate(start)
  if (valid !== true) {
    throw new FeedProblem(
      'bad_xml',
      `broken XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`
    )
  }
  const doc = parser.parse(xhtmlAsText(start)) as Record<string, Node>
  const rss = doc.rss
  if (rss !== undefined) {
    const channel = field(rss, 'channel')
    const link = texts(field(channel, 'link'))[0]
    return {
      format: 'rss',
      title: textOf(field(channel, 'title')),
      link,
      items: list(field(channel, 'item')).map(i => rssItem(i, link))
    }
  }
  const feed = doc.feed
  if (feed !== undefined) {
    const links = list(field(feed, 'link'))
    const link = attr(
      links.find(l => (attr(l, 'rel') ?? 'alternate') === 'alternate'),
      'href'
    )
    return {
      format: 'atom',
      title: textOf(field(feed, 'title')),
      link,
      items: list(field(feed, 'entry')).map(e => atomEntry(e, link))
    }
  }
  const rdf = doc['rdf:RDF']
  if (rdf !== undefined) {
    const channel = field(rdf, 'channel')
    const link = texts(field(channel, 'link'))[0]
    return {
      format: 'rdf',
      title: textOf(field(channel, 'title')),
      link,
      items: list(field(rdf, 'item')).map(i => rssItem(i, link))
    }
  }
  const root = Object.keys(doc).find(key => !key.startsWith('?')) ?? 'nothing'
  throw new FeedProblem('unknown_format', `root element <${root}> is not rss, feed or rdf:RDF`)
}
