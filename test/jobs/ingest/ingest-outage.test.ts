import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { createIngestRole } from '../../../src/jobs/ingest/ingest-role.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { type TestDatabase, createTestDatabase, storedTrades } from '../../helpers/db.ts'
import { createJobTopics, testKafka } from '../../helpers/kafka.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'
import { waitFor } from '../../helpers/wait.ts'

let database: TestDatabase
const bus = new KafkaBus(testKafka, silentLogger())
before(async () => {
  database = await createTestDatabase()
})
after(async () => {
  await bus.close()
  await database.drop()
})

test('while the database is away ingest pauses and says so; when it returns every trade is stored exactly once', async () => {
  const topics = await createJobTopics(3)
  const trades = syntheticTrades({
    symbol: 'BTC/USD',
    count: 900,
    startMicros: Date.UTC(2026, 0, 1) * 1000,
    seed: 11
  })
  const records = trades.map(t => ({ topic: topics.trade, key: t.symbol, value: JSON.stringify(t) }))
  const proxy = await startTcpProxy({ targetPort: Number(new URL(database.url).port || 5432) })
  const viaProxy = new URL(database.url)
  viaProxy.port = String(proxy.port)
  const ingest = await hostRole(createIngestRole({ topics, groupId: uniqueName('g-outage') }), {
    databaseUrl: viaProxy.toString(),
    env: { INGEST_BATCH_MAX_RECORDS: '100' }
  })
  try {
    await publishAll(bus, records.slice(0, 300))
    await waitFor('the first trades', async () => (await storedTrades(database.db)).rows === 300, 30_000)

    await proxy.cut()
    await publishAll(bus, records.slice(300))
    const down = await waitFor(
      'readiness to report the failing batch',
      () => {
        const check = ingest.health.report().checks.ingest
        return check?.status === 'down' ? check : undefined
      },
      30_000
    )
    assert.match(down.detail ?? '', /CV_ERR_DB_UNAVAILABLE/)
    assert.equal(ingest.health.report().status, 'down')
    assert.equal((await storedTrades(database.db)).rows, 300, 'nothing written while away')

    await proxy.restore()
    await waitFor('every trade', async () => (await storedTrades(database.db)).rows === 900, 60_000, 200)
    assert.deepEqual(await storedTrades(database.db), { rows: 900, ids: 900 })
    await waitFor('health to recover', () => ingest.health.report().checks.ingest?.status === 'up')
    const metrics = await ingest.metrics.metrics()
    assert.match(metrics, /cryptoviz_ingest_batch_failures_total\{code="CV_ERR_DB_UNAVAILABLE"\} [1-9]/)
  } finally {
    await ingest.stop()
    await proxy.close()
  }
})
