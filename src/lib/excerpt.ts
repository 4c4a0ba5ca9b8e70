/**
 * An article's excerpt: the start of its main text (fetched from the page or given in full by the
 * feed), else its summary, cut at a word boundary near `max` characters with an ellipsis. Only an
 * excerpt leaves the API: the full text stays with its publisher, whom the link credits.
 */
export const EXCERPT_CHARS = 320

export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`
}
