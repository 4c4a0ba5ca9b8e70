import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAnalyticsRole } from '../../../src/jobs/analytics/analytics-role.ts'
import { compare, divide, formatDecimal, parseDecimal, truncate } from '../../../src/lib/decimal.ts'
import { databaseAndBus } from '../../helpers/database-and-bus.ts'
import { createJobTopics } from '../../helpers/kafka.ts'
import { krakenCandles, krakenTrades, secondsToRfc3339 } from '../../helpers/kraken-fixture.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { waitFor } from '../../helpers/wait.ts'

const setup = databaseAndBus()
const { bus } = setup

interface Row {
  bucket: string
  open: string
  high: string
  low: string
  close: string
  volume: string
  quote_volume: string
  vwap: string
  trades: number
}

const same = (a: string, b: string): boolean => compare(parseDecimal(a), parseDecimal(b)) === 0

test("trade times keep Kraken's digits", () => {
  assert.equal(secondsToRfc3339('1762795433.9717445'), '2025-11-10T17:23:53.9717445Z')
  assert.equal(secondsToRfc3339('1762795483.306824'), '2025-11-10T17:24:43.306824Z')
})

test("1,000 real trades through Kafka, analytics and PostgreSQL give Kraken's own one-minute candles", async () => {
  const topics = await createJobTopics(3)
  const trades = krakenTrades()
  assert.equal(trades.length, 1000)
  await publishAll(
    bus,
    trades.map(t => ({ topic: topics.trade, key: t.symbol, value: JSON.stringify(t) }))
  )
  const analytics = await hostRole(createAnalyticsRole({ topics, groupId: uniqueName('g-kraken') }), {
    databaseUrl: setup.database.url,
    env: { ANALYTICS_BATCH_MAX_RECORDS: '137' }
  })
  try {
    await waitFor(
      'all 1,000 trades applied',
      async () => {
        const { rows } = await setup.database.db.query<{ n: number }>(
          'select coalesce(sum(next_offset), 0)::int as n from job_offsets where topic = $1',
          [topics.trade]
        )
        return rows[0]?.n === 1000
      },
      60_000,
      100
    )
  } finally {
    await analytics.stop()
  }
  const { rows } = await setup.database.db.query<Row>(
    "select bucket, open, high, low, close, volume, quote_volume, vwap, trades from candles where interval = '1m' order by bucket"
  )
  const ours = new Map(rows.map(r => [Date.parse(r.bucket) / 1000, r]))
  const firstMinute = Math.floor(Date.parse(trades[0]?.exchangeTs ?? '') / 60_000) * 60
  const lastMinute = Math.floor(Date.parse(trades[999]?.exchangeTs ?? '') / 60_000) * 60
  let compared = 0
  let empty = 0
  for (const k of krakenCandles()) {
    // The first and last minutes are only partly covered by the 1,000 trades.
    if (k.time <= firstMinute || k.time >= lastMinute) continue
    const row = ours.get(k.time)
    const at = new Date(k.time * 1000).toISOString()
    if (k.count === 0) {
      assert.equal(row, undefined, `no trade, no candle at ${at}`)
      empty++
      continue
    }
    assert.ok(row, `candle at ${at}`)
    for (const field of ['open', 'high', 'low', 'close', 'volume'] as const) {
      assert.ok(same(row[field], k[field]), `${field} at ${at}: ours ${row[field]}, Kraken ${k[field]}`)
    }
    assert.equal(row.trades, k.count, `trade count at ${at}`)
    // Kraken truncates VWAP to the pair's price decimals (found in the data: 272 of 272 minutes).
    const decimals = k.vwap.split('.')[1]?.length ?? 0
    const exact = divide(parseDecimal(row.quote_volume), parseDecimal(row.volume), decimals, 'truncate')
    assert.equal(formatDecimal(exact), k.vwap, `VWAP from exact sums at ${at}`)
    assert.equal(formatDecimal(truncate(parseDecimal(row.vwap), decimals)), k.vwap, `stored VWAP at ${at}`)
    compared++
  }
  assert.ok(compared >= 250, `compared ${compared} minutes with trades`)
  assert.ok(empty > 0, 'and minutes without any')
})
