/** Indicator values over candles: one row per (symbol, interval, name, bucket), overwritten when recomputed. */
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

export interface IndicatorRow {
  symbol: string
  interval: string
  bucket: string
  name: string
  value: number
}

const UPSERT = `insert into indicators (symbol, interval, bucket, name, value)
select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::float8[])
on conflict (symbol, interval, name, bucket) do update set value = excluded.value`

export async function writeIndicators(q: Queryable, rows: readonly IndicatorRow[]): Promise<void> {
  if (rows.length === 0) return
  await q.query(
    UPSERT,
    columns(rows, 5, r => [r.symbol, r.interval, r.bucket, r.name, r.value])
  )
}
