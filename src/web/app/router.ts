/**
 * Hash routes, so any view (and any moment in time) is a link and the server needs no route table:
 *
 *   #/                           markets overview
 *   #/symbol/BTC%2FUSD?interval=5m
 *   #/pressure?interval=5m       buy/sell pressure heat-map
 *   #/news?coin=BTC&source=coindesk
 *   #/movers?horizon=30m&symbol=BTC%2FUSD   market movers: the news after which prices moved most
 *   #/alerts?severity=critical
 *   #/pipeline
 *
 * Any of them may carry the time control: `from`, `to` (a stored range) and `at` (the playhead),
 * as RFC 3339 times; without them the view is live.
 */
export type ViewName = 'overview' | 'symbol' | 'pressure' | 'news' | 'movers' | 'alerts' | 'pipeline'

export interface Route {
  view: ViewName
  /** The symbol of the symbol view, e.g. BTC/USD. */
  symbol?: string
  params: URLSearchParams
}

export const TimeParams = ['from', 'to', 'at'] as const

export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '')
  const [path = '', query = ''] = text.split('?', 2)
  const params = new URLSearchParams(query)
  const parts = path.split('/').filter(part => part !== '')
  const [first, second] = parts
  if (first === 'symbol' && second !== undefined) {
    const symbol = safeDecode(second).toUpperCase()
    if (/^[A-Z0-9]{1,16}\/[A-Z0-9]{1,16}$/.test(symbol)) return { view: 'symbol', symbol, params }
  }
  if (
    first === 'news' ||
    first === 'movers' ||
    first === 'alerts' ||
    first === 'pipeline' ||
    first === 'pressure'
  )
    return { view: first, params }
  return { view: 'overview', params }
}

export function formatHash(route: Route): string {
  const path =
    route.view === 'overview'
      ? '/'
      : route.view === 'symbol'
        ? `/symbol/${encodeURIComponent(route.symbol ?? '')}`
        : `/${route.view}`
  const query = route.params.toString()
  return `#${path}${query === '' ? '' : `?${query}`}`
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
