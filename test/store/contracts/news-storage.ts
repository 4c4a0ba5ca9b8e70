/**
 * The news half of the storage layer (articles and their coins, article sentiment and the rolling
 * index, alerts) and the jobs' bookkeeping, as one contract for every database implementation:
 * run against PostgreSQL and against PGlite.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Database } from '../../../src/store/database.ts'
import { listAlerts } from '../../../src/store/queries/alerts.ts'
import { listArticles } from '../../../src/store/queries/articles.ts'
import { listSentiment } from '../../../src/store/queries/sentiment.ts'
import { writeAlerts } from '../../../src/store/writers/alerts.ts'
import { ensureArticles, upsertArticles } from '../../../src/store/writers/articles.ts'
import {
  ensureJobOffsets,
  readJobOffsets,
  readJobState,
  writeJobOffsets,
  writeJobState
} from '../../../src/store/writers/job-bookkeeping.ts'
import { recomputeSentimentSeries, writeArticleSentiment } from '../../../src/store/writers/sentiment.ts'
import { alert, article } from '../../helpers/messages.ts'

export function newsStorageContract(name: string, db: () => Database): void {
  test(`${name}: articles upsert with their coins, keep extracted content, and are found by coin, source and words`, async () => {
    const etf = article('Zqx ETF inflows hit a record', {
      source: 'zq-news',
      content: 'full text',
      coins: [{ code: 'ZQX', mentions: 2, inTitle: true }],
      publishedAt: '2026-03-01T10:00:00.000Z'
    })
    const upgrade = article('Zqx network upgrade ships', {
      source: 'zq-wire',
      coins: [{ code: 'ZQY', mentions: 1, inTitle: false }],
      publishedAt: '2026-03-01T11:00:00.000Z'
    })
    assert.equal(await upsertArticles(db(), [etf, upgrade]), 2)
    const { content: _dropped, ...republished } = etf
    await upsertArticles(db(), [{ ...republished, title: 'Zqx ETF inflows hit a new record' }])
    await ensureArticles(db(), [{ ...upgrade, title: 'must not overwrite' }])
    const { rows } = await db().query<{ title: string; content: string | null }>(
      'select title, content from articles where id = $1',
      [etf.id]
    )
    assert.deepEqual(rows, [{ title: 'Zqx ETF inflows hit a new record', content: 'full text' }])
    const byCoin = await listArticles(db(), { coin: 'ZQX', limit: 10 })
    assert.deepEqual(
      byCoin.items.map(a => [a.title, a.coins, a.publishedAt, a.sentiment]),
      [
        [
          'Zqx ETF inflows hit a new record',
          [{ code: 'ZQX', mentions: 2, inTitle: true }],
          '2026-03-01T10:00:00Z',
          null
        ]
      ]
    )
    const bySource = await listArticles(db(), { source: 'zq-wire', limit: 10 })
    assert.deepEqual(
      bySource.items.map(a => a.title),
      ['Zqx network upgrade ships']
    )
    const search = await listArticles(db(), { q: 'zqx "network upgrade"', limit: 10 })
    assert.deepEqual(
      search.items.map(a => a.id),
      [upgrade.id]
    )
    const paged = await listArticles(db(), { q: 'zqx', limit: 1 })
    assert.equal(paged.hasMore, true)
    const next = await listArticles(db(), {
      q: 'zqx',
      limit: 1,
      before: { time: paged.items[0]?.publishedAt ?? '', id: paged.items[0]?.id ?? '' }
    })
    assert.deepEqual(
      next.items.map(a => a.id),
      [etf.id]
    )
  })

  test(`${name}: article scores roll up into a sentiment index per coin, recomputed idempotently`, async () => {
    const a = article('Sentiment probe one', {
      coins: [{ code: 'SNTX', mentions: 1, inTitle: true }],
      publishedAt: '2026-04-01T10:00:10.000Z'
    })
    const b = article('Sentiment probe two', {
      coins: [{ code: 'SNTX', mentions: 1, inTitle: true }],
      publishedAt: '2026-04-01T10:00:40.000Z'
    })
    await upsertArticles(db(), [a, b])
    await writeArticleSentiment(db(), [
      {
        articleId: a.id,
        score: 0.5,
        label: 'positive',
        positiveTerms: ['surge'],
        negativeTerms: [],
        model: 'm'
      },
      {
        articleId: b.id,
        score: -0.25,
        label: 'negative',
        positiveTerms: [],
        negativeTerms: ['fall'],
        model: 'm'
      }
    ])
    const options = { interval: '1m', intervalSeconds: 60, windowSeconds: 3600, halfLifeSeconds: 1800 }
    const from = new Map([['SNTX', '2026-04-01T10:00:00Z']])
    const first = await recomputeSentimentSeries(db(), from, options)
    const again = await recomputeSentimentSeries(db(), from, options)
    assert.deepEqual(again, first)
    const series = await listSentiment(db(), {
      code: 'SNTX',
      interval: '1m',
      from: '2026-04-01T10:00:00Z',
      limit: 1
    })
    const point = series.items[0]
    assert.equal(point?.bucket, '2026-04-01T10:00:00Z')
    assert.equal(point?.articles, 2)
    assert.equal(point?.scoreSum, 0.25)
    assert.ok(
      point !== undefined && point.indexValue > 0 && point.indexValue < 0.5,
      'recent scores weigh more'
    )
    assert.equal(series.hasMore, false, 'only the bucket the articles fall in')
    const scored = await listArticles(db(), { coin: 'SNTX', limit: 1 })
    assert.deepEqual(scored.items[0]?.sentiment, {
      score: -0.25,
      label: 'negative',
      positiveTerms: [],
      negativeTerms: ['fall'],
      model: 'm'
    })
  })

  test(`${name}: an alert id is stored once, and alerts filter by symbol, kind and severity`, async () => {
    const first = alert({ id: 'probe:1', symbol: 'AL/USD', eventTs: '2026-05-01T00:00:01.000001Z' })
    const second = alert({ id: 'probe:2', symbol: 'AL/USD', kind: 'volume_spike', severity: 'critical' })
    assert.equal(await writeAlerts(db(), [first, second]), 2)
    assert.equal(await writeAlerts(db(), [{ ...first, title: 'changed' }]), 0)
    const critical = await listAlerts(db(), { symbol: 'AL/USD', severity: 'critical', limit: 10 })
    assert.deepEqual(
      critical.items.map(a => [a.id, a.kind]),
      [['probe:2', 'volume_spike']]
    )
    const moves = await listAlerts(db(), { symbol: 'AL/USD', kind: 'price_move', limit: 10 })
    assert.deepEqual(
      moves.items.map(a => [a.title, a.eventTs, a.details]),
      [[first.title, '2026-05-01T00:00:01.000001Z', { from: '91000.0', to: '93912.0' }]]
    )
  })

  test(`${name}: a job's offsets and per-key state commit together and read back by partition`, async () => {
    const partitions = [
      { topic: 'probe-topic', partition: 0 },
      { topic: 'probe-topic', partition: 1 }
    ]
    await ensureJobOffsets(db(), 'probe-job', partitions)
    await ensureJobOffsets(db(), 'probe-job', partitions)
    await db().transaction(async tx => {
      const locked = await readJobOffsets(tx, 'probe-job', partitions, { forUpdate: true })
      assert.deepEqual(
        locked.map(o => o.nextOffset),
        [0, 0]
      )
      await writeJobOffsets(tx, 'probe-job', [{ topic: 'probe-topic', partition: 1, nextOffset: 42 }])
      await writeJobState(tx, 'probe-job', [
        { topic: 'probe-topic', partition: 1, key: 'BTC/USD', state: { seen: [[1, 41, 1700000000]] } }
      ])
    })
    await assert.rejects(
      db().transaction(async tx => {
        await writeJobOffsets(tx, 'probe-job', [{ topic: 'probe-topic', partition: 0, nextOffset: 7 }])
        throw new Error('batch failed')
      })
    )
    assert.deepEqual(await readJobOffsets(db(), 'probe-job', partitions), [
      { topic: 'probe-topic', partition: 0, nextOffset: 0 },
      { topic: 'probe-topic', partition: 1, nextOffset: 42 }
    ])
    assert.deepEqual(await readJobState(db(), 'probe-job', [{ topic: 'probe-topic', partition: 1 }]), [
      { topic: 'probe-topic', partition: 1, key: 'BTC/USD', state: { seen: [[1, 41, 1700000000]] } }
    ])
  })
}
