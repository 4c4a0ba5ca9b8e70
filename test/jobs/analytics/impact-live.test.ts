/**
 * The analytics role over Kafka announces the news moves it stores on the live `impact` channel,
 * one event per symbol, in the shape docs/jobs.md gives, with the figures the database holds.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { createAnalyticsRole } from '../../../src/jobs/analytics/analytics-role.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { type TestDatabase, createTestDatabase } from '../../helpers/db.ts'
import { createJobTopics, testKafka } from '../../helpers/kafka.ts'
import { article } from '../../helpers/messages.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'
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

interface ImpactEventItem {
  articleId: string
  symbol: string
  publishedAt: string
  returns: Record<string, string | null>
  final: Record<string, boolean>
}

test('the analytics role announces the news moves it stored on the impact channel, per symbol', async () => {
  const topics = await createJobTopics(1)
  const start = Date.UTC(2026, 5, 1, 8, 0) * 1000
  // Three hours of trades, then an article published two hours in: its 5 min and 30 min windows close.
  const trades = syntheticTrades({
    symbol: 'ETH/USD',
    count: 1_200,
    startMicros: start,
    seed: 5,
    maxGapMicros: 18_000_000
  })
  const news = article('Ether rallies as staking inflows jump', {
    publishedAt: new Date(start / 1000 + 2 * 3_600_000 + 20_000).toISOString(),
    coins: [{ code: 'ETH', mentions: 2, inTitle: true }]
  })
  const role = await hostRole(createAnalyticsRole({ topics, groupId: uniqueName('g-impact') }), {
    databaseUrl: database.url,
    env: { ANALYTICS_BATCH_MAX_RECORDS: '300' }
  })
  try {
    await publishAll(
      bus,
      trades.map(t => ({ topic: topics.trade, key: t.symbol, value: JSON.stringify(t) }))
    )
    await waitFor('the trades in candles', async () => {
      const { rows } = await database.db.query<{ n: number }>(
        "select coalesce(sum(trades), 0)::int as n from candles where interval = '1m'"
      )
      return rows[0]?.n === trades.length
    })
    await publishAll(bus, [{ topic: topics.article, key: news.id, value: JSON.stringify(news) }])
    const event = await waitFor('an impact event about the article', () =>
      role.liveEvents.find(
        e => e.channel === 'impact' && (e.data as ImpactEventItem[]).some(i => i.articleId === news.id)
      )
    )
    assert.equal(event.key, 'ETH/USD')
    const item = (event.data as ImpactEventItem[]).find(i => i.articleId === news.id)
    const { rows } = await database.db.query<{ horizon: string; returnH: string | null; final: boolean }>(
      `select horizon, return_h as "returnH", final from article_impact where article_id = $1 and symbol = 'ETH/USD'`,
      [news.id]
    )
    assert.equal(rows.length, 4)
    for (const row of rows) {
      assert.equal(item?.returns[row.horizon], row.returnH, `${row.horizon}: the stored return`)
      assert.equal(item?.final[row.horizon], row.final, `${row.horizon}: final as stored`)
    }
    assert.equal(item?.final['5m'], true, 'the 5 min window closed an hour before the last trade')
    assert.equal(item?.final['24h'], false)
  } finally {
    await role.stop()
  }
})
