import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { createAnalyticsRole } from '../../../src/jobs/analytics/analytics-role.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { analyticsScenario } from '../../helpers/analytics-scenario.ts'
import { type TestDatabase, createTestDatabase } from '../../helpers/db.ts'
import { createJobTopics, groupAssignment, membersHoldPartitions, testKafka } from '../../helpers/kafka.ts'
import { naiveCandles } from '../../helpers/naive-candles.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
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

const canonical = (value: unknown): string => {
  const text = String(value)
  return /^-?\d+\.\d+$/.test(text) ? text.replace(/0+$/, '').replace(/\.$/, '') : text
}

test('an analytics role with two workers is two members of the group in one process (the main thread and a worker thread), and its candles, health and metrics cover both', async () => {
  const topics = await createJobTopics(3)
  const scenario = analyticsScenario()
  await publishAll(
    bus,
    scenario.trades.map(r => ({ topic: topics[r.topic], key: r.key, value: r.value }))
  )
  const group = uniqueName('g-workers')
  const role = await hostRole(createAnalyticsRole({ topics, groupId: group }), {
    databaseUrl: database.url,
    env: { ANALYTICS_WORKERS: '2', ANALYTICS_BATCH_MAX_RECORDS: '150', ANALYTICS_BATCH_MAX_WAIT_MS: '20' }
  })
  try {
    // The coordinator sees two members (one per thread), each holding partitions of the inputs.
    await membersHoldPartitions(group, 2, 'both workers to hold partitions')
    const members = [...(await groupAssignment(group)).values()]
    const owned = members.flat().sort()
    assert.deepEqual(owned, [...new Set(owned)], 'no partition is owned twice')
    assert.equal(owned.length, 9, 'the three topics × three partitions are all owned')
    await waitFor(
      'every trade applied',
      async () => {
        const { rows } = await database.db.query<{ n: number }>(
          'select coalesce(sum(next_offset), 0)::int as n from job_offsets where topic = $1',
          [topics.trade]
        )
        return rows[0]?.n === scenario.trades.length
      },
      120_000,
      100
    )
    const health = role.health.report().checks.analytics
    assert.equal(health?.status, 'up', health?.detail)
    assert.match(health?.detail ?? '', /^main thread: .*; worker 1: /)
    assert.doesNotMatch(
      health?.detail ?? '',
      /worker 2/,
      'two members: the main thread and one worker thread'
    )
    // Metrics of both threads, summed in the process's registry: the partitions each one holds
    // add up to all nine, and every trade was counted (a rebalance may redeliver a few).
    const text = await role.metrics.metrics()
    const sum = (pattern: RegExp): number => [...text.matchAll(pattern)].reduce((n, m) => n + Number(m[1]), 0)
    assert.equal(sum(/^cryptoviz_bus_assigned_partitions\{[^}]*\} (\d+)$/gm), 9, text)
    const counted = sum(
      new RegExp(`^cryptoviz_analytics_records_total\\{[^}]*topic="${topics.trade}"[^}]*\\} (\\d+)$`, 'gm')
    )
    assert.ok(counted >= scenario.trades.length, `${counted} trade records counted`)
    // Live events announced by the workers reach the process's channel.
    await waitFor('candle events on the live channel', () =>
      role.liveEvents.some(e => e.channel === 'candles')
    )
  } finally {
    await role.stop()
  }

  const { rows } = await database.db.query(
    `select symbol, interval, bucket, open, high, low, close, volume, quote_volume, trades, buy_volume,
            sell_volume, first_trade_id from candles order by 1, 2, 3`
  )
  const expected = naiveCandles(scenario.accepted)
  assert.equal(rows.length, expected.length)
  rows.forEach((row, i) => {
    const naive = expected[i]
    assert.ok(naive)
    assert.equal(Date.parse(String(row.bucket)), Date.parse(naive.bucket))
    const where = `${naive.symbol} ${naive.interval} ${naive.bucket}`
    assert.deepEqual(
      [
        row.open,
        row.high,
        row.low,
        row.close,
        row.volume,
        row.quote_volume,
        row.buy_volume,
        row.sell_volume
      ].map(canonical),
      [
        naive.open,
        naive.high,
        naive.low,
        naive.close,
        naive.volume,
        naive.quoteVolume,
        naive.buyVolume,
        naive.sellVolume
      ].map(canonical),
      where
    )
    assert.deepEqual(
      [Number(row.trades), Number(row.first_trade_id)],
      [naive.trades, naive.firstTradeId],
      where
    )
  })
})

test('an analytics worker that dies fails the role with the worker and the reason, instead of starting without it', async () => {
  const topics = await createJobTopics(3)
  // A heap far too small to load the job: the worker runs out of memory while starting.
  await assert.rejects(
    hostRole(createAnalyticsRole({ topics, groupId: uniqueName('g-dies') }), {
      databaseUrl: database.url,
      env: { ANALYTICS_WORKERS: '2', ANALYTICS_WORKER_HEAP_MB: '8' }
    }),
    {
      code: 'CV_ERR_ANALYTICS_WORKER_FAILED',
      message: /analytics worker 1 did not start: it died: .*out of memory.*raise ANALYTICS_WORKER_HEAP_MB/
    }
  )
})
