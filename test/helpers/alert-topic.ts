/**
 * What analytics published to an alert topic, record by record (a duplicate shows as two records),
 * and what the ingest job stores from it in the `alerts` table.
 */
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { createIngestRole } from '../../src/jobs/ingest/ingest-role.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { AlertV1 } from '../../src/schemas/alert.v1.ts'
import { consumeCount } from './consume.ts'
import type { TestDatabase } from './db.ts'
import { createJobTopics, testKafka } from './kafka.ts'
import { uniqueName } from './names.ts'
import { hostRole } from './role-host.ts'
import { waitFor } from './wait.ts'

export type PublishedAlert = Omit<AlertV1, 'raisedAt'>

/** Every record of the topic, in partition order: as many as its offsets say, not what arrived in time. */
export async function publishedAlerts(topic: string): Promise<PublishedAlert[]> {
  const bus = new KafkaBus(testKafka, silentLogger())
  let total = 0
  try {
    for (const p of await bus.inspector.partitionOffsets([topic])) total += Number(p.end - p.start)
  } finally {
    await bus.close()
  }
  const records = total === 0 ? [] : await consumeCount([topic], total)
  if (records.length !== total) throw new Error(`${topic}: ${records.length} records read, ${total} written`)
  return records.map(r => {
    const { raisedAt: _raisedAt, ...alert } = JSON.parse(r.value.toString()) as AlertV1
    return alert
  })
}

/** Records per alert id. */
export function countById(alerts: readonly PublishedAlert[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const a of alerts) counts.set(a.id, (counts.get(a.id) ?? 0) + 1)
  return counts
}

/**
 * Runs the real ingest job over the alert topic alone (its other topics empty ones of its own) until
 * the `alerts` table holds `distinct` rows. Returns the table's rows (id is its primary key: ingest
 * stores the first record of an id and skips the others) and the ids ingest announced on the live
 * `alerts` channel (what pops up on the dashboard), one entry per announcement.
 */
export async function storedAlerts(
  db: TestDatabase,
  topic: string,
  distinct: number
): Promise<{ rows: { id: string; kind: string }[]; announced: string[] }> {
  const empty = await createJobTopics(1)
  const groupId = uniqueName('g-store-alerts')
  const ingest = await hostRole(createIngestRole({ topics: { ...empty, alert: topic }, groupId }), {
    databaseUrl: db.url
  })
  try {
    await waitFor(
      `${distinct} alerts stored`,
      async () => {
        const { rows } = await db.db.query<{ n: number }>('select count(*)::int as n from alerts')
        return (rows[0]?.n ?? 0) >= distinct
      },
      60_000,
      100
    )
    // Nothing still in flight may add rows either: ingest commits a batch only after storing and
    // announcing it, so once it has committed every record of the topic, the table is final.
    await waitFor(
      'ingest to commit every record of the alert topic',
      async () => (await ingest.bus.inspector?.groupOffsets(groupId, [topic]))?.every(p => p.lag === 0n),
      60_000,
      100
    )
  } finally {
    await ingest.stop()
  }
  const { rows } = await db.db.query<{ id: string; kind: string }>('select id, kind from alerts order by id')
  const announced = ingest.liveEvents
    .filter(e => e.channel === 'alerts')
    .map(e => (e.data as { id: string }).id)
  return { rows, announced }
}
