import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { configFromEnv } from '../../../src/config/config.ts'
import { commitBatch } from '../../../src/jobs/analytics/commit-batch.ts'
import { processBatch } from '../../../src/jobs/analytics/process-batch.ts'
import { scoreArticle } from '../../../src/jobs/analytics/sentiment/score.ts'
import { analyticsSettings } from '../../../src/jobs/analytics/settings.ts'
import { AnalyticsState } from '../../../src/jobs/analytics/state/partition-state.ts'
import type { ArticleV1 } from '../../../src/schemas/article.v1.ts'
import { type TestDatabase, createTestDatabase } from '../../helpers/db.ts'
import { article } from '../../helpers/messages.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(async () => {
  await database.drop()
})

const config = configFromEnv({})
const settings = analyticsSettings(config.analytics, config.kraken.symbols)

const record = (value: ArticleV1, offset: number): ConsumedRecord => ({
  topic: 'articles',
  partition: 0,
  offset: BigInt(offset),
  key: value.id,
  value: Buffer.from(JSON.stringify(value)),
  headers: {},
  timestamp: 0
})

test('an article delivered twice in one batch is scored once, as its later delivery says, and the batch commits', async () => {
  const first = article('Bitcoin rallies to record high', { publishedAt: '2026-03-02T09:00:00.000Z' })
  // The same feed item published again, its headline changed in between.
  const again: ArticleV1 = { ...first, title: 'Bitcoin crashes as exchange hacked' }
  const other = article('Ether steady; Solana upgrade approved', { publishedAt: '2026-03-02T09:30:00.000Z' })
  const state = new AnalyticsState('twice', settings, topic => (topic === 'articles' ? 'article' : undefined))
  await state.ensureLoaded(database.db, [{ topic: 'articles', partition: 0 }])
  const work = processBatch([record(first, 0), record(other, 1), record(again, 2)], state, settings)
  await commitBatch(database.db, work, {
    job: 'twice',
    settings,
    toAlerts: () => [],
    publishAlerts: async () => undefined
  })
  const { rows } = await database.db.query<{ articleId: string; score: number }>(
    'select article_id as "articleId", score from article_sentiment order by article_id'
  )
  assert.deepEqual(
    rows.map(r => [r.articleId, Number(r.score)]),
    [
      [first.id, scoreArticle(again).score],
      [other.id, scoreArticle(other).score]
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
  )
  assert.notEqual(scoreArticle(again).score, scoreArticle(first).score, 'the deliveries score differently')
  const { rows: offsets } = await database.db.query<{ next: number }>(
    `select next_offset::int as next from job_offsets where job = 'twice'`
  )
  assert.deepEqual(offsets, [{ next: 3 }])
})
