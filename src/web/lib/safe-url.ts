/**
 * Links made from data: an article's URL comes from a news feed, that is from anyone, and an href of
 * `javascript:…` would run in the dashboard's origin when clicked (`data:` and others open content
 * the user did not ask for). Only absolute http: and https: URLs become links; anything else, a
 * relative URL included (it would point into the dashboard), gives none.
 */
const WEB_SCHEMES = new Set(['http:', 'https:'])

/** The URL to use as an href, or undefined when it must not be a link. */
export function webHref(url: string | null | undefined): string | undefined {
  if (typeof url !== 'string') return undefined
  let parsed: URL
  try {
    // The URL parser reads what a browser reads (tabs and newlines dropped, case folded), so
    // "java\tscript:" is seen as the javascript: it is.
    parsed = new URL(url)
  } catch {
    return undefined
  }
  return WEB_SCHEMES.has(parsed.protocol) ? parsed.href : undefined
}
