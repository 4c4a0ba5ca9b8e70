/**
 * Writes one decoded batch: trades through the lanes (trade-lanes.ts), every other kind in one
 * transaction beside them, each kind with one batched statement. If the database refuses a write for
 * a reason other than being unavailable (a value it cannot store), the records concerned are written
 * one at a time to find the culprits, which become dead letters; the rest is stored. Every write is an
 * idempotent upsert, so writing a record again changes nothing.
 */
import { CryptoVizError, ErrorCodes, isCryptoVizError } from '../../errors/errors.ts'
import type { Database, Queryable } from '../../store/database.ts'
import { insertAlerts } from '../../store/writers/alerts.ts'
import { upsertArticles } from '../../store/writers/articles.ts'
import { writeBookTops, writeExchangeCandles } from '../../store/writers/exchange-feeds.ts'
import { writeTickers } from '../../store/writers/tickers.ts'
import { writeTrades } from '../../store/writers/trades.ts'
import { type Decoded, type Rejected, groupDecoded } from '../decode.ts'
import type { TradeLanes } from './trade-lanes.ts'

export interface StoreOutcome {
  /** New rows per kind (trades, tickers and alerts; the others are counted as stored). */
  inserted: Map<Decoded['kind'], number>
  /** Ids of the alerts stored by this batch: an alert published again is not announced again. */
  newAlerts: Set<string>
  /** Records the database refused, to be dead-lettered. */
  refused: Rejected[]
}

type Written = Pick<StoreOutcome, 'inserted' | 'newAlerts'>

async function writeAll(q: Queryable, records: readonly Decoded[]): Promise<Written> {
  const groups = groupDecoded(records)
  const inserted = new Map<Decoded['kind'], number>()
  inserted.set('trade', await writeTrades(q, groups.trade))
  inserted.set('ticker', await writeTickers(q, groups.ticker))
  inserted.set('article', await upsertArticles(q, groups.article))
  const newAlerts = await insertAlerts(q, groups.alert)
  inserted.set('alert', newAlerts.length)
  inserted.set('ohlc', await writeExchangeCandles(q, groups.ohlc))
  inserted.set('book', await writeBookTops(q, groups.book))
  return { inserted, newAlerts: new Set(newAlerts) }
}

async function isolate(db: Database, records: readonly Decoded[]): Promise<StoreOutcome> {
  const inserted = new Map<Decoded['kind'], number>()
  const newAlerts = new Set<string>()
  const refused: Rejected[] = []
  for (const record of records) {
    try {
      const written = await db.transaction(tx => writeAll(tx, [record]))
      for (const [kind, n] of written.inserted) inserted.set(kind, (inserted.get(kind) ?? 0) + n)
      for (const id of written.newAlerts) newAlerts.add(id)
    } catch (error) {
      if (!isCryptoVizError(error, ErrorCodes.DB_QUERY)) throw error
      refused.push({
        kind: 'rejected',
        record: record.record,
        error: new CryptoVizError(ErrorCodes.RECORD_REJECTED, `the database refused it: ${error.message}`, {
          deadLetter: true,
          cause: error
        })
      })
    }
  }
  return { inserted, newAlerts, refused }
}

/** Writes records in one transaction, isolating the culprits if the database refuses the batch. */
async function storeTogether(db: Database, records: readonly Decoded[]): Promise<StoreOutcome> {
  if (records.length === 0) return { inserted: new Map(), newAlerts: new Set(), refused: [] }
  try {
    return { ...(await db.transaction(tx => writeAll(tx, records))), refused: [] }
  } catch (error) {
    if (!isCryptoVizError(error, ErrorCodes.DB_QUERY)) throw error
    return isolate(db, records)
  }
}

/**
 * Finishes a batch whose trades were already queued on `lanes` (as they were decoded): writes the
 * other kinds meanwhile, waits for both, and falls back to one-by-one writes of the trades if the
 * database refused one of them.
 */
export async function storeBatch(
  db: Database,
  lanes: TradeLanes,
  trades: readonly Decoded[],
  others: readonly Decoded[]
): Promise<StoreOutcome> {
  const [tradeResult, otherResult] = await Promise.allSettled([lanes.finish(), storeTogether(db, others)])
  if (otherResult.status === 'rejected') throw otherResult.reason
  if (tradeResult.status === 'fulfilled') {
    otherResult.value.inserted.set('trade', tradeResult.value)
    return otherResult.value
  }
  if (!isCryptoVizError(tradeResult.reason, ErrorCodes.DB_QUERY)) throw tradeResult.reason
  const isolated = await isolate(db, trades)
  otherResult.value.inserted.set('trade', isolated.inserted.get('trade') ?? 0)
  return {
    inserted: otherResult.value.inserted,
    newAlerts: otherResult.value.newAlerts,
    refused: [...otherResult.value.refused, ...isolated.refused]
  }
}
