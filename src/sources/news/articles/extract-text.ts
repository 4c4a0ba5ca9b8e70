/**
 * The main text of an article page, with Mozilla's Readability (Firefox Reader View) over a
 * linkedom DOM: navigation, headers, footers, asides, scripts and share widgets are left out by
 * Readability's scoring, not by rules of ours. Paragraphs are kept as paragraphs (blank lines
 * between blocks) so an excerpt reads well. Pure and synchronous: it runs in the extraction worker.
 */
import { Readability } from '@mozilla/readability'
import { parseHTML } from 'linkedom'

export interface Extracted {
  text: string
  title: string | undefined
  byline: string | undefined
}

/** Fewer characters than this is a teaser, a paywall stub or a page without an article. */
export const MIN_MAIN_TEXT = 400
const MAX_TEXT = 500_000
const MAX_ELEMENTS = 60_000

const BLOCKS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'FIGCAPTION',
  'TR',
  'TABLE',
  'UL',
  'OL',
  'BR'
])

interface TextNodeLike {
  nodeType: number
  nodeName: string
  textContent: string | null
  childNodes: ArrayLike<TextNodeLike>
}

/** Text of a DOM subtree with a line break around every block element. */
function blockText(node: TextNodeLike, out: string[]): void {
  if (node.nodeType === 3) {
    out.push(node.textContent ?? '')
    return
  }
  const block = BLOCKS.has(node.nodeName.toUpperCase())
  if (block) out.push('\n')
  for (let i = 0; i < node.childNodes.length; i++) blockText(node.childNodes[i] as TextNodeLike, out)
  if (block) out.push('\n')
}

function tidy(text: string): string {
  return text
    .split(/\n+/)
    .map(line => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter(line => line !== '')
    .join('\n\n')
}

export function extractMainText(html: string, url: string): Extracted | { problem: string } {
  const { document } = parseHTML(html)
  // Readability resolves relative links against the document's URL; linkedom has none of its own.
  const base = document.createElement('base')
  base.setAttribute('href', url)
  document.head?.prepend(base)
  type Page = ConstructorParameters<typeof Readability>[0]
  const reader = new Readability<TextNodeLike>(document as unknown as Page, {
    charThreshold: MIN_MAIN_TEXT,
    // A page with more elements than any article needs is refused rather than scored for seconds.
    maxElemsToParse: MAX_ELEMENTS,
    serializer: element => element as unknown as TextNodeLike
  })
  const article = reader.parse()
  if (article === null || article.content === null || article.content === undefined)
    return { problem: 'no article found in the page' }
  const parts: string[] = []
  blockText(article.content, parts)
  const text = tidy(parts.join(''))
  if (text.length < MIN_MAIN_TEXT)
    return {
      problem: `main text too short (${text.length} characters): a teaser, paywall or script-only page`
    }
  return {
    text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text,
    title: article.title ?? undefined,
    byline: article.byline ?? undefined
  }
}
