/**
 * Known market symbols and the latest ticker of each. A loose index scan (one index probe per distinct
 * symbol, through the primary keys that lead with the symbol) finds the symbols without reading the
 * tables, which grow by several rows per symbol per second.
 */
import type { Queryable } from '../database.ts'

export interface TickerRow {
  symbol: string
  ts: string
  bid: string
  bidQty: string
  ask: string
  askQty: string
  last: string
  volume24h: string
  vwap24h: string
  low24h: string
  high24h: string
  change24h: string
  changePct24h: string
  receivedAt: string
}

export interface SymbolRow {
  symbol: string
  ticker: TickerRow | null
}

/** The distinct symbols of a table whose index leads with `symbol`, as a recursive CTE body. */
export function distinctSymbols(table: 'tickers' | 'trades'): string {
  return `(select symbol from ${table} order by symbol limit 1)
    union all
    select (select t.symbol from ${table} t where t.symbol > s.symbol order by t.symbol limit 1)
    from ${table}_symbols s where s.symbol is not null`
}

export const knownSymbolsCte = `with recursive
  tickers_symbols(symbol) as (${distinctSymbols('tickers')}),
  trades_symbols(symbol) as (${distinctSymbols('trades')}),
  symbols as (
    select symbol from tickers_symbols where symbol is not null
    union
    select symbol from trades_symbols where symbol is not null
  )`

interface Row {
  symbol: string
  ts: string | null
  bid: string
  bid_qty: string
  ask: string
  ask_qty: string
  last: string
  volume_24h: string
  vwap_24h: string
  low_24h: string
  high_24h: string
  change_24h: string
  change_pct_24h: string
  received_at: string
}

export async function listSymbols(db: Queryable): Promise<SymbolRow[]> {
  const { rows } = await db.query<Row>(
    `${knownSymbolsCte}
     select s.symbol, t.ts, t.bid, t.bid_qty, t.ask, t.ask_qty, t.last, t.volume_24h, t.vwap_24h,
            t.low_24h, t.high_24h, t.change_24h, t.change_pct_24h, t.received_at
       from symbols s
       left join lateral (
         select * from tickers t where t.symbol = s.symbol order by t.ts desc limit 1
       ) t on true
      order by s.symbol`
  )
  return rows.map(row => ({
    symbol: row.symbol,
    ticker:
      row.ts === null
        ? null
        : {
            symbol: row.symbol,
            ts: row.ts,
            bid: row.bid,
            bidQty: row.bid_qty,
            ask: row.ask,
            askQty: row.ask_qty,
            last: row.last,
            volume24h: row.volume_24h,
            vwap24h: row.vwap_24h,
            low24h: row.low_24h,
            high24h: row.high_24h,
            change24h: row.change_24h,
            changePct24h: row.change_pct_24h,
            receivedAt: row.received_at
          }
  }))
}
