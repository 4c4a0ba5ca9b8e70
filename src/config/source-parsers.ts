/**
 * Parsers for the producers' variables whose format is specific to a source: Kraken v2 symbols and
 * the news feed list. They live beside the generic parsers so that every message a user sees about
 * a bad value comes from one place.
 */
import { type Parser, integerOneOf, uniqueList } from './parsers.ts'

export interface FeedSpec {
  /** Short source name, used as the article's `source` and in metrics labels. */
  readonly name: string
  readonly url: string
  /** Per-feed poll interval, seconds; NEWS_POLL_INTERVAL_S when absent. */
  readonly intervalS?: number
}

// v1/REST codes that Kraken's v2 WebSocket rejects ("Currency pair not supported XBT/USD").
const legacyCodes: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' }

export function krakenSymbol(): Parser<string> {
  const expects = 'a Kraken WebSocket v2 pair BASE/QUOTE, e.g. BTC/USD'
  return {
    expects,
    parse(raw) {
      const value = raw.trim().toUpperCase()
      const match = /^([A-Z0-9]{1,16})\/([A-Z0-9]{1,16})$/.exec(value)
      if (match === null) throw new Error(`expected ${expects}, got ${JSON.stringify(raw)}`)
      const [, base = '', quote = ''] = match
      const legacy = legacyCodes[base] ?? legacyCodes[quote]
      if (legacy !== undefined) {
        const fixed = `${legacyCodes[base] ?? base}/${legacyCodes[quote] ?? quote}`
        throw new Error(`${value} is v1/REST naming, which v2 rejects; write ${fixed}`)
      }
      return value
    }
  }
}

/** `name=url` or `name=url|seconds`; `|` cannot appear unescaped in a URL, so it is a safe separator. */
export function feedSpec(): Parser<FeedSpec> {
  const expects = 'name=url or name=url|seconds (name: lowercase letters, digits, dashes)'
  return {
    expects,
    parse(raw) {
      const fail = (why: string): never => {
        throw new Error(`expected ${expects}, got ${JSON.stringify(raw)} (${why})`)
      }
      const match = /^([a-z0-9][a-z0-9-]{0,49})=([^|\s]+)(?:\|(\d+))?$/.exec(raw.trim())
      if (match === null) return fail('not in that form')
      const [, name = '', url = '', seconds] = match
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return fail('the URL does not parse')
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail('http or https only')
      if (seconds === undefined) return { name, url }
      const intervalS = Number(seconds)
      if (intervalS < 10 || intervalS > 86_400) return fail('interval must be 10 to 86400 seconds')
      return { name, url, intervalS }
    }
  }
}

/** Candle intervals (minutes) of the start-up history fill, in loading order; `none` turns it off. */
export function historyIntervals(): Parser<(1 | 5 | 15 | 60 | 1440)[]> {
  const listed = uniqueList(integerOneOf(1, 5, 15, 60, 1440))
  return {
    expects: `none, or ${listed.expects}`,
    parse(raw) {
      const value = raw.trim().toLowerCase()
      return value === '' || value === 'none' ? [] : listed.parse(raw)
    }
  }
}
