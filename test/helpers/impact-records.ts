/**
 * What the news-impact tests share: consumed records built by hand, a batch committed through the
 * job's own code, the stored rows read back, and a scenario run on PostgreSQL and on PGlite.
 */
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { commitBatch } from '../../src/jobs/analytics/commit-batch.ts'
import { processBatch } from '../../src/jobs/analytics/process-batch.ts'
import type { AnalyticsSettings } from '../../src/jobs/analytics/settings.ts'
import type { AnalyticsState } from '../../src/jobs/analytics/state/partition-state.ts'
import type { Database } from '../../src/store/database.ts'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { createTestDatabase } from './db.ts'

export function record(
  topic: string,
  partition: number,
  offset: number,
  key: string,
  value: unknown
): ConsumedRecord {
  return {
    topic,
    partition,
    offset: BigInt(offset),
    key,
    value: Buffer.from(JSON.stringify(value)),
    headers: {},
    timestamp: 0
  }
}

/**
 * One batch through the analytics job's processing and transaction (no alerts), then the in-memory
 * state told what the database now holds, as the analytics role does after a commit.
 */
export async function commitAsTheRole(
  db: Database,
  state: AnalyticsState,
  settings: AnalyticsSettings,
  job: string,
  records: readonly ConsumedRecord[]
): Promise<void> {
  const work = processBatch(records, state, settings)
  await commitBatch(db, work, { job, settings, toAlerts: () => [], publishAlerts: async () => undefined })
  for (const offset of work.offsets) {
    const partition = state.get(offset)
    if (partition !== undefined) partition.nextOffset = offset.nextOffset
  }
}

export interface StoredImpact {
  articleId: string
  symbol: string
  horizon: string
  p0: string | null
  pH: string | null
  returnH: string | null
  abnormal: string | null
  volumeRatio: string | null
  final: boolean
}

export async function storedImpact(db: Database): Promise<StoredImpact[]> {
  const { rows } = await db.query<StoredImpact>(
    `select article_id as "articleId", symbol, horizon, p0, p_h as "pH", return_h as "returnH", abnormal,
            volume_ratio as "volumeRatio", final
       from article_impact order by article_id, symbol, horizon`
  )
  return rows
}

export async function onEachDatabase(
  kind: 'PostgreSQL' | 'PGlite',
  scenario: (db: Database) => Promise<void>
) {
  if (kind === 'PostgreSQL') {
    const database = await createTestDatabase()
    try {
      await scenario(database.db)
    } finally {
      await database.drop()
    }
    return
  }
  const db = await PgliteDatabase.open()
  try {
    await migrate(db)
    await scenario(db)
  } finally {
    await db.close()
  }
}
