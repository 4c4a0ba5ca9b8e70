/**
 * Two members of the analytics group race on the same news moves: an article is measured by the
 * member that owns its partition of the article topic when it arrives, and again by the members that
 * own its symbols' trades as their minutes close and their watermarks pass the horizons. With the
 * main thread and a worker thread as members (ANALYTICS_WORKERS=2) over real Kafka, articles
 * published both before and after the trades end as the independent computation from the trades
 * says, every horizon final.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { createAnalyticsRole } from '../../../src/jobs/analytics/analytics-role.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import type { ArticleV1 } from '../../../src/schemas/article.v1.ts'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import { type TestDatabase, createTestDatabase } from '../../helpers/db.ts'
import { createJobTopics, membersHoldPartitions, testKafka } from '../../helpers/kafka.ts'
import { storedImpact } from '../../helpers/impact-records.ts'
import { article } from '../../helpers/messages.ts'
import { naiveImpact } from '../../helpers/naive-impact.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { jitter, syntheticTrades } from '../../helpers/synthetic-trades.ts'
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

const START = Date.UTC(2026, 6, 6, 0, 0) * 1000
const LATENESS_MS = 60_000
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD'] as const

/** The trades a candle builder counts: in delivery order, none older than the watermark − lateness. */
function accepted(delivered: readonly TradeV1[]): TradeV1[] {
  let watermark = -Infinity
  return delivered.filter(t => {
    const ts = Date.parse(t.exchangeTs)
    if (ts < watermark - LATENESS_MS) return false
    watermark = Math.max(watermark, ts)
    return true
  })
}

test('two members measuring the same articles, one from the article and one from the trades, store what the trades say, every horizon final', async () => {
  const topics = await createJobTopics(3)
  // ≈ 57 h of trades per symbol, slightly out of order.
  const delivered = new Map<string, TradeV1[]>(
    SYMBOLS.map((symbol, s) => [
      symbol,
      jitter(
        syntheticTrades({
          symbol,
          count: 12_000,
          startMicros: START,
          seed: 60 + s,
          maxGapMicros: 40_000_000
        }),
        6,
        80 + s
      )
    ])
  )
  const btc = delivered.get('BTC/USD') as TradeV1[]
  const eth = delivered.get('ETH/USD') as TradeV1[]
  const at = (trades: readonly TradeV1[], i: number, plusMs: number): string =>
    new Date(Date.parse((trades[i] as TradeV1).exchangeTs) + plusMs).toISOString()
  const both = [
    { code: 'BTC', mentions: 2, inTitle: true },
    { code: 'ETH', mentions: 1, inTitle: true }
  ]
  // Published before the trades: measured first on no candles, then as the trades' minutes close.
  const first = [
    article('Bitcoin and ether jump on ETF approval', { publishedAt: at(btc, 3000, 17_500), coins: both }),
    article('Bitcoin miners sell reserves', { publishedAt: at(btc, 4500, 3_000) })
  ]
  // Published after them: measured at once on every candle, while the trades' members settle them.
  const last = [
    article('Ether gas fees hit a low', {
      publishedAt: at(eth, 4000, 1_000),
      coins: [{ code: 'ETH', mentions: 1, inTitle: true }]
    }),
    article('Crypto market slides after a hack', { publishedAt: at(btc, 5000, 9_000), coins: both })
  ]
  const group = uniqueName('g-impact-members')
  const role = await hostRole(createAnalyticsRole({ topics, groupId: group }), {
    databaseUrl: database.url,
    env: {
      SYMBOLS: SYMBOLS.join(','),
      ANALYTICS_WORKERS: '2',
      ANALYTICS_BATCH_MAX_RECORDS: '400',
      ANALYTICS_BATCH_MAX_WAIT_MS: '20'
    }
  })
  try {
    await membersHoldPartitions(group, 2, 'both members to hold partitions')
    const publishArticles = (list: typeof first) =>
      publishAll(
        bus,
        list.map(a => ({ topic: topics.article, key: a.id, value: JSON.stringify(a) }))
      )
    await publishArticles(first)
    await publishAll(
      bus,
      SYMBOLS.flatMap(symbol =>
        (delivered.get(symbol) as TradeV1[]).map(t => ({
          topic: topics.trade,
          key: symbol,
          value: JSON.stringify(t)
        }))
      )
    )
    await publishArticles(last)
    const [jump, miners] = first as [ArticleV1, ArticleV1]
    const [gas, slide] = last as [ArticleV1, ArticleV1]
    const pairs: { a: ArticleV1; symbol: string }[] = [
      { a: jump, symbol: 'BTC/USD' },
      { a: jump, symbol: 'ETH/USD' },
      { a: miners, symbol: 'BTC/USD' },
      { a: gas, symbol: 'ETH/USD' },
      { a: slide, symbol: 'BTC/USD' },
      { a: slide, symbol: 'ETH/USD' }
    ]
    await waitFor(
      'every move stored and final',
      async () => {
        const { rows } = await database.db.query<{ n: number }>(
          'select count(*)::int as n from article_impact where final'
        )
        return rows[0]?.n === pairs.length * 4
      },
      180_000,
      200
    )
    const stored = await storedImpact(database.db)
    assert.equal(stored.length, pairs.length * 4, 'one row per article, tracked symbol and horizon')
    for (const { a, symbol } of pairs) {
      for (const reference of naiveImpact(accepted(delivered.get(symbol) ?? []), symbol, a.publishedAt)) {
        const what = `${a.title} × ${symbol} at ${reference.horizon}`
        const row = stored.find(
          r => r.articleId === a.id && r.symbol === symbol && r.horizon === reference.horizon
        )
        assert.ok(row, what)
        assert.ok(reference.p0 !== null && reference.abnormal !== null, `${what}: a full window in the data`)
        assert.deepEqual(
          [row.p0, row.pH, row.returnH, row.volumeRatio],
          [reference.p0, reference.pH, reference.returnH, reference.volumeRatio],
          what
        )
        assert.ok(
          Math.abs(Number(row.abnormal) - reference.abnormal) <= 5e-7 + 1e-9,
          `${what}: abnormal ${row.abnormal} vs ${reference.abnormal}`
        )
      }
    }
  } finally {
    await role.stop()
  }
})
