/** Trades, as the ingest job stores them: insert-only on the natural key, so a replay adds nothing. */
import type { TradeV1 } from '../../schemas/trade.v1.ts'
import type { Queryable } from '../database.ts'
import { plainArray } from './sql-arrays.ts'

const PLAIN = `insert into trades (symbol, trade_id, ts, price, qty, side, ord_type, received_at, source)
select * from unnest($1::text[], $2::int8[], $3::timestamptz[], $4::numeric[], $5::numeric[],
                     $6::text[], $7::text[], $8::timestamptz[], $9::text[])`
const INSERT = `${PLAIN}
on conflict do nothing`

function params(trades: readonly TradeV1[]): string[] {
  const n = trades.length
  const cols: (string | number)[][] = Array.from({ length: 9 }, () => new Array<string | number>(n))
  for (let i = 0; i < n; i++) {
    const t = trades[i] as TradeV1
    ;(cols[0] as string[])[i] = t.symbol
    ;(cols[1] as number[])[i] = t.tradeId
    ;(cols[2] as string[])[i] = t.exchangeTs
    ;(cols[3] as string[])[i] = t.price
    ;(cols[4] as string[])[i] = t.qty
    ;(cols[5] as string[])[i] = t.side
    ;(cols[6] as string[])[i] = t.ordType
    ;(cols[7] as string[])[i] = t.receivedAt
    ;(cols[8] as string[])[i] = t.source
  }
  // Every field was validated by the trade schema (symbol pattern, decimal and RFC 3339 lexemes,
  // enums): none needs quoting in an array literal.
  return cols.map(plainArray)
}

/** Resolves with the number of trades that were new. */
export async function writeTrades(q: Queryable, trades: readonly TradeV1[]): Promise<number> {
  if (trades.length === 0) return 0
  return (await q.query(INSERT, params(trades))).rowCount
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === '23505'
}

/**
 * The same inside a transaction, optimistically: a plain INSERT (measured 20–50 % faster than
 * ON CONFLICT, whose speculative insertion costs on every row), and only if some trade was already
 * stored (a redelivery), back to the savepoint and ON CONFLICT DO NOTHING.
 */
export async function insertTradesInTransaction(tx: Queryable, trades: readonly TradeV1[]): Promise<number> {
  if (trades.length === 0) return 0
  const values = params(trades)
  await tx.query('savepoint trades_plain')
  try {
    const { rowCount } = await tx.query(PLAIN, values)
    await tx.query('release savepoint trades_plain')
    return rowCount
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    await tx.query('rollback to savepoint trades_plain')
    return (await tx.query(INSERT, values)).rowCount
  }
}
