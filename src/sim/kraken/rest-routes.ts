/**
 * The fake Kraken REST API (`/0/public/*`) over the simulated market, with Kraken's envelope
 * (`{"error":[…],"result":{…}}`, errors with HTTP 200), its pair naming quirks (BTC/USD, XBTUSD and
 * XXBTZUSD all resolve; the result is keyed by the name asked for), `Trades` paging by a ns cursor
 * and `OHLC` keeping only the 720 most recent candles, the last one still forming: candles of the
 * trades, and before them the market's older candles (candle-history.ts) where it has them.
 */
import { combineCandles } from './candle-history.ts'
import { lex, writeJson } from './lexeme-json.ts'
import type { MarketSource } from './market.ts'

export interface RestReply {
  status: number
  body: string
}

const legacy: Record<string, string> = { XBT: 'BTC', XDG: 'DOGE' }

/** Kraken pair spellings → our symbol, or undefined. */
export function resolvePair(market: MarketSource, pair: string): string | undefined {
  const squash = (text: string): string =>
    text
      .toUpperCase()
      .replace('/', '')
      .replace(/^X(XBT|XDG|ETH|LTC|XRP)Z?/, '$1')
      .replace(/XBT|XDG/g, code => legacy[code] ?? code)
  const wanted = squash(pair)
  return market.symbols.find(
    symbol => squash(symbol) === wanted || squash(symbol) === wanted.replace(/Z(USD|EUR)$/, '$1')
  )
}

const ok = (result: unknown): RestReply => ({ status: 200, body: writeJson({ error: [], result }) })
const fail = (error: string): RestReply => ({ status: 200, body: writeJson({ error: [error] }) })

function sinceNs(raw: string | null): bigint {
  if (raw === null || !/^\d+(\.\d+)?$/.test(raw)) return 0n
  const whole = raw.split('.')[0] ?? '0'
  // Kraken takes seconds or nanoseconds for `since`.
  return whole.length > 12 ? BigInt(whole) : BigInt(whole) * 1_000_000_000n
}

export function restReply(
  market: MarketSource,
  path: string,
  query: URLSearchParams,
  status: string
): RestReply {
  const endpoint = path.replace(/^\/0\/public\//, '')
  if (endpoint === 'Time') {
    const now = Date.now()
    return ok({ unixtime: lex(String(Math.floor(now / 1000))), rfc1123: new Date(now).toUTCString() })
  }
  if (endpoint === 'SystemStatus')
    return ok({ status, timestamp: new Date().toISOString().slice(0, 19) + 'Z' })
  if (endpoint === 'AssetPairs') {
    return ok(
      Object.fromEntries(
        market.symbols.map(symbol => {
          const [base = '', quote = ''] = symbol.split('/')
          const v1 = (code: string) => (code === 'BTC' ? 'XBT' : code === 'DOGE' ? 'XDG' : code)
          const p = market.precision(symbol)
          return [
            `${v1(base)}${quote}`,
            {
              altname: `${v1(base)}${quote}`,
              wsname: `${v1(base)}/${quote}`,
              base: v1(base),
              quote,
              pair_decimals: lex(String(p.price)),
              lot_decimals: lex(String(p.qty)),
              status: 'online'
            }
          ]
        })
      )
    )
  }
  const pair = query.get('pair') ?? ''
  const symbol = resolvePair(market, pair)
  if (endpoint !== 'Trades' && endpoint !== 'OHLC' && endpoint !== 'Ticker')
    return fail('EGeneral:Unknown method')
  if (symbol === undefined) return fail('EQuery:Unknown asset pair')
  if (endpoint === 'Ticker') {
    const t = market.ticker(symbol)
    if (t === undefined) return fail('EQuery:Unknown asset pair')
    return ok({
      [pair]: {
        a: [t.ask, '1', '1.000'],
        b: [t.bid, '1', '1.000'],
        c: [t.last, t.bid_qty],
        v: [t.volume, t.volume],
        p: [t.vwap, t.vwap],
        l: [t.low, t.low],
        h: [t.high, t.high],
        o: t.last
      }
    })
  }
  if (endpoint === 'Trades') {
    const count = Math.min(1000, Math.max(1, Number(query.get('count') ?? 1000) || 1000))
    const trades = market.history.since(symbol, sinceNs(query.get('since')), count)
    const last = trades.at(-1)?.tsNs ?? sinceNs(query.get('since'))
    const rows = trades.map(t => {
      const seconds = t.tsNs / 1_000_000_000n
      const micros = ((t.tsNs % 1_000_000_000n) / 1000n).toString().padStart(6, '0')
      return [
        t.price,
        t.qty,
        lex(`${seconds}.${micros}`),
        t.side === 'buy' ? 'b' : 's',
        t.ordType === 'market' ? 'm' : 'l',
        '',
        lex(String(t.id))
      ]
    })
    return ok({ [pair]: rows, last: last.toString() })
  }
  const interval = Number(query.get('interval') ?? 1)
  if (![1, 5, 15, 30, 60, 240, 1440, 10080, 21600].includes(interval))
    return fail('EGeneral:Invalid arguments:interval')
  const since = Number(sinceNs(query.get('since')) / 1_000_000_000n)
  const intervalS = interval * 60
  // Only the 720 most recent candles exist for Kraken: nothing older is worth building.
  const windowFrom = (Math.floor(Date.now() / 1000 / intervalS) - 720) * intervalS
  const precision = market.precision(symbol)
  const all = combineCandles(
    [
      market.olderCandles?.(symbol, intervalS, windowFrom) ?? [],
      market.history.candles(symbol, intervalS, precision, windowFrom)
    ],
    precision
  ).slice(-720)
  const rows = all
    .filter(c => c.begin > since)
    .map(c => [lex(String(c.begin)), c.open, c.high, c.low, c.close, c.vwap, c.volume, lex(String(c.count))])
  // `last` is the last committed candle; the final row is the one still forming.
  const committed = all.length >= 2 ? (all[all.length - 2]?.begin ?? 0) : 0
  return ok({ [pair]: rows, last: lex(String(committed)) })
}
