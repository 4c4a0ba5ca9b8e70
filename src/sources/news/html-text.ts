/**
 * Feed HTML to plain text: scripts, styles and comments dropped, block elements turned into
 * spaces, tags stripped, entities decoded after stripping (so `&lt;b&gt;` written as text stays
 * text) and once more for feeds that double-encode (`&amp;#8217;`), whitespace collapsed.
 */
import { decode } from 'html-entities'

export function htmlToText(html: string): string {
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|iframe)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(
      /<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|figure|figcaption|tr|td|section|article)\b[^>]*>/gi,
      ' '
    )
    .replace(/<[^>]+>/g, '')
  let text = decode(stripped, { level: 'html5' })
  // A second pass only when an entity survived the first: that text was double-encoded.
  if (/&(#\d+|#x[\da-f]+|[a-z]+\d*);/i.test(text)) text = decode(text, { level: 'html5' })
  return text.replace(/[\s\u00a0]+/g, ' ').trim()
}

/** The first `<img src>` of some HTML, for feeds that only carry their picture inline. */
export function firstImage(html: string): string | undefined {
  const src = /<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/i.exec(html)?.[1]
  return src === undefined ? undefined : decode(src)
}
