import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createIngestRole } from '../../../src/jobs/ingest/ingest-role.ts'
import { storedTrades } from '../../helpers/db.ts'
import { databaseAndBus } from '../../helpers/database-and-bus.ts'
import { createJobTopics } from '../../helpers/kafka.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'
import { waitFor } from '../../helpers/wait.ts'

const setup = databaseAndBus()
const { bus } = setup

test('while the database is away ingest pauses and says so; when it returns every trade is stored exactly once', async () => {
  const topics = await createJobTopics(3)
  const trades = syntheticTrades({
    symbol: 'BTC/USD',
    count: 900,
    startMicros: Date.UTC(2026, 0, 1) * 1000,
    seed: 11
  })
  const records = trades.map(t => ({ topic: topics.trade, key: t.symbol, value: JSON.stringify(t) }))
  const proxy = await startTcpProxy({ targetPort: Number(new URL(setup.database.url).port || 5432) })
  const viaProxy = new URL(setup.database.url)
  viaProxy.port = String(proxy.port)
  const ingest = await hostRole(createIngestRole({ topics, groupId: uniqueName('g-outage') }), {
    databaseUrl: viaProxy.toString(),
    env: { INGEST_BATCH_MAX_RECORDS: '100' }
  })
  try {
    await publishAll(bus, records.slice(0, 300))
    await waitFor(
      'the first trades',
      async () => (await storedTrades(setup.database.db)).rows === 300,
      30_000
    )

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
    assert.equal((await storedTrades(setup.database.db)).rows, 300, 'nothing written while away')

    await proxy.restore()
    await waitFor(
      'every trade',
      async () => (await storedTrades(setup.database.db)).rows === 900,
      60_000,
      200
    )
    assert.deepEqual(await storedTrades(setup.database.db), { rows: 900, ids: 900 })
    await waitFor('health to recover', () => ingest.health.report().checks.ingest?.status === 'up')
    const metrics = await ingest.metrics.metrics()
    assert.match(metrics, /cryptoviz_ingest_batch_failures_total\{code="CV_ERR_DB_UNAVAILABLE"\} [1-9]/)
  } finally {
    await ingest.stop()
    await proxy.close()
  }
})
