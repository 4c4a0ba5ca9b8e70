/**
 * The TimescaleDB layer, kept apart from the schema: the migrations create plain tables that work
 * on any PostgreSQL (and PGlite); when the `timescaledb` extension is available, this turns the
 * time-series tables into hypertables with compression and retention policies. Every statement is
 * idempotent (`if_not_exists`), so it runs after every migrate.
 */
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { Database } from '../database.ts'
import { planTimescale, readTimescaleSupport } from './timescale-support.ts'

export interface TimescaleOptions {
  mode: 'auto' | 'on' | 'off'
  /** Days of raw trades, tickers and book tops to keep; 0 keeps everything. */
  rawRetentionDays: number
  /** Days of computed series (candles, indicators, spreads, sentiment) to keep; 0 keeps everything. */
  aggregateRetentionDays: number
  /** Chunks older than this are compressed. */
  compressAfterDays: number
}

interface Hypertable {
  table: string
  time: string
  chunk: string
  segmentBy: string
  /** The order within a compressed batch; `<time> desc` unless given. */
  orderBy?: string
  raw: boolean
}

// The time column of each is part of its primary key, as hypertables require; every other key
// column is in segmentBy or orderBy, so that a write into a compressed chunk (a redelivery, a late
// trade) checks its key against the few batches that can hold it (tests check both).
export const hypertables: readonly Hypertable[] = [
  {
    table: 'trades',
    time: 'ts',
    chunk: '1 day',
    segmentBy: 'symbol',
    orderBy: 'ts desc, trade_id desc',
    raw: true
  },
  { table: 'tickers', time: 'ts', chunk: '1 day', segmentBy: 'symbol', raw: true },
  { table: 'book_tops', time: 'ts', chunk: '1 day', segmentBy: 'symbol', raw: true },
  {
    table: 'exchange_candles',
    time: 'bucket',
    chunk: '7 days',
    segmentBy: 'symbol, interval_min',
    raw: false
  },
  { table: 'candles', time: 'bucket', chunk: '7 days', segmentBy: 'symbol, interval', raw: false },
  { table: 'indicators', time: 'bucket', chunk: '7 days', segmentBy: 'symbol, interval, name', raw: false },
  { table: 'spreads', time: 'bucket', chunk: '7 days', segmentBy: 'symbol, interval', raw: false },
  { table: 'sentiment_series', time: 'bucket', chunk: '30 days', segmentBy: 'code, interval', raw: false }
]

/** The statements that set up TimescaleDB, in order (pure: tested without the extension). */
export function timescaleStatements(options: TimescaleOptions): string[] {
  const statements = ['create extension if not exists timescaledb']
  for (const h of hypertables) {
    statements.push(
      `select create_hypertable('${h.table}', by_range('${h.time}', interval '${h.chunk}'), if_not_exists => true, migrate_data => true)`,
      `alter table ${h.table} set (timescaledb.compress, timescaledb.compress_segmentby = '${h.segmentBy}', timescaledb.compress_orderby = '${h.orderBy ?? `${h.time} desc`}')`,
      `select add_compression_policy('${h.table}', interval '${options.compressAfterDays} days', if_not_exists => true)`
    )
    const retention = h.raw ? options.rawRetentionDays : options.aggregateRetentionDays
    if (retention > 0) {
      statements.push(
        `select add_retention_policy('${h.table}', interval '${retention} days', if_not_exists => true)`
      )
    }
  }
  return statements
}

export interface TimescaleReport {
  enabled: boolean
  reason: string
  /** Set when TIMESCALE=auto fell back to plain tables: what was missing and how to enable it. */
  warning?: string
}

export async function applyTimescaleLayer(db: Database, options: TimescaleOptions): Promise<TimescaleReport> {
  if (options.mode === 'off') return { enabled: false, reason: 'TIMESCALE=off: plain tables' }
  if (db.kind !== 'postgres') return { enabled: false, reason: 'embedded database: plain tables' }
  const plan = planTimescale(options.mode, await readTimescaleSupport(db))
  if (plan.action === 'refuse') throw new CryptoVizError(ErrorCodes.MIGRATION, plan.message)
  if (plan.action === 'skip') {
    return {
      enabled: false,
      reason: plan.reason,
      ...(plan.warning === undefined ? {} : { warning: plan.warning })
    }
  }
  for (const statement of timescaleStatements(options)) {
    try {
      await db.query(statement)
    } catch (error) {
      throw new CryptoVizError(
        ErrorCodes.MIGRATION,
        `TimescaleDB setup failed at "${statement}": ${describeError(error)}`,
        {
          cause: error
        }
      )
    }
  }
  return {
    enabled: true,
    reason: `${hypertables.length} hypertables with compression and retention policies`
  }
}
