/**
 * Parsers for the variables of the deeper news and market signals: the MACD periods, per-symbol
 * amounts (whale thresholds) and which feeds' article pages are fetched. Kept beside the generic
 * parsers so every message about a bad value comes from one place.
 */
import type { Parser } from './parsers.ts'
import { krakenSymbol } from './source-parsers.ts'

export interface MacdSpec {
  readonly fast: number
  readonly slow: number
  readonly signal: number
}

/** `fast,slow,signal` (e.g. 12,26,9) or `off`. */
export function macdSpec(): Parser<MacdSpec | undefined> {
  const expects = 'off, or fast,slow,signal periods with fast < slow (e.g. 12,26,9)'
  return {
    expects,
    parse(raw) {
      const value = raw.trim().toLowerCase()
      if (value === 'off') return undefined
      const match = /^(\d{1,4}),(\d{1,4}),(\d{1,4})$/.exec(value.replace(/\s+/g, ''))
      const [fast, slow, signal] = (match?.slice(1) ?? []).map(Number)
      if (fast === undefined || slow === undefined || signal === undefined)
        throw new Error(`expected ${expects}, got ${JSON.stringify(raw)}`)
      if (fast < 2 || signal < 2 || fast >= slow || slow > 1_000 || signal > 1_000)
        throw new Error(`expected ${expects}, got ${JSON.stringify(raw)}`)
      return { fast, slow, signal }
    }
  }
}

/** `BTC/USD=250000,DOGE/USD=20000` (may be empty): an amount per market symbol. */
export function symbolAmounts(max: number): Parser<ReadonlyMap<string, number>> {
  const expects = `empty, or a comma-separated list of SYMBOL=amount (amount from 0 to ${max}), e.g. BTC/USD=250000`
  const symbol = krakenSymbol()
  return {
    expects,
    parse(raw) {
      const out = new Map<string, number>()
      for (const part of raw.split(',').map(p => p.trim())) {
        if (part === '') continue
        const match = /^([^=\s]+)\s*=\s*(\d+(?:\.\d+)?)$/.exec(part)
        const amount = Number(match?.[2])
        if (match === null || !(amount >= 0 && amount <= max))
          throw new Error(`expected ${expects}, got ${JSON.stringify(part)}`)
        const name = symbol.parse(match[1] ?? '')
        if (out.has(name)) throw new Error(`${name} is listed twice`)
        out.set(name, amount)
      }
      return out
    }
  }
}

/** Which feeds' article pages to fetch: every feed but the excluded ones, or only the listed ones. */
export type FeedSelection =
  | { readonly kind: 'all'; readonly except: readonly string[] }
  | { readonly kind: 'only'; readonly names: readonly string[] }

/** `*` (every feed), `*,-name` (every feed but these), `none`, or a list of feed names. */
export function feedSelection(): Parser<FeedSelection> {
  const expects = '*, *,-name,… (all but these), none, or a comma-separated list of feed names'
  const name = /^[a-z0-9][a-z0-9-]{0,49}$/
  return {
    expects,
    parse(raw) {
      const parts = raw
        .split(',')
        .map(p => p.trim().toLowerCase())
        .filter(p => p !== '')
      const bad = (): never => {
        throw new Error(`expected ${expects}, got ${JSON.stringify(raw)}`)
      }
      if (parts.length === 1 && parts[0] === 'none') return { kind: 'only', names: [] }
      if (parts[0] === '*') {
        const except = parts
          .slice(1)
          .map(p => (p.startsWith('-') && name.test(p.slice(1)) ? p.slice(1) : bad()))
        return { kind: 'all', except }
      }
      if (parts.length === 0 || parts.some(p => !name.test(p))) return bad()
      return { kind: 'only', names: parts }
    }
  }
}

export function selects(selection: FeedSelection, feed: string): boolean {
  return selection.kind === 'all' ? !selection.except.includes(feed) : selection.names.includes(feed)
}

/** Hosts (`host` or `host:port`) allowed even though they resolve to private addresses. */
export function hostList(): Parser<string[]> {
  const expects = 'empty, or a comma-separated list of host or host:port'
  return {
    expects,
    parse(raw) {
      return raw
        .split(',')
        .map(p => p.trim().toLowerCase())
        .filter(p => p !== '')
        .map(p => {
          if (!/^([a-z0-9.-]+|\[[0-9a-f:]+\])(:\d{1,5})?$/.test(p))
            throw new Error(`expected ${expects}, got ${JSON.stringify(p)}`)
          return p
        })
    }
  }
}
