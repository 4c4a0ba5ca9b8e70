import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts'

interface ArticlesBody {
  articles: {
    id: string
    source: string
    title: string
    publishedAt: string
    authors: string[]
    imageUrl: string | null
    coins: { code: string; mentions: number; inTitle: boolean }[]
    sentiment: { score: number; label: string; positiveTerms: string[]; model: string } | null
  }[]
  nextCursor: string | null
}

let database: TestDatabase
let api: TestApi
let pipeline: Pipeline
const hour = (h: number): string => `2026-11-25T${String(h).padStart(2, '0')}:00:00.000000Z`

before(async () => {
  database = await createTestDatabase()
  // Through the real write path: Kafka → ingest (articles, coins) and analytics (sentiment).
  pipeline = await startPipeline({ databaseUrl: database.url, analytics: true })
  await pipeline.articles([
    {
      id: 'a0000000000000001',
      source: 'coindesk',
      title: 'Bitcoin surges past record as ETF inflows grow',
      summary: 'Spot bitcoin funds took in more money.',
      publishedAt: hour(10),
      coins: [
        { code: 'BTC', mentions: 3, inTitle: true },
        { code: 'ETH', mentions: 1, inTitle: false }
      ]
    },
    {
      id: 'a0000000000000002',
      source: 'cointelegraph',
      title: 'Ethereum developers schedule upgrade',
      publishedAt: hour(11),
      coins: [{ code: 'ETH', mentions: 2, inTitle: true }]
    },
    {
      id: 'a0000000000000003',
      source: 'coindesk',
      title: 'Regulators fine exchange over bitcoin custody failures',
      publishedAt: hour(12),
      coins: [{ code: 'BTC', mentions: 1, inTitle: true }]
    }
  ])
  await pipeline.stored('select count(*) as n from article_sentiment', 3)
  api = await startTestApi({ db: database.db })
})

after(async () => {
  await api?.close()
  await pipeline?.stop()
  await database?.drop()
})

const ids = (body: ArticlesBody): string[] => body.articles.map(a => a.id.slice(-1))

test('articles come newest first with their coins and the sentiment the analytics job stored', async () => {
  const { status, body } = await getJson<ArticlesBody>(api.url, '/api/articles')
  assert.equal(status, 200)
  assert.deepEqual(ids(body), ['3', '2', '1'])
  const first = body.articles[2]
  assert.deepEqual(first?.coins, [
    { code: 'BTC', mentions: 3, inTitle: true },
    { code: 'ETH', mentions: 1, inTitle: false }
  ])
  assert.deepEqual(first?.authors, ['Ann Author'])
  assert.equal(first?.imageUrl, null)
  const { rows } = await database.db.query<{
    article_id: string
    score: number
    label: string
    model: string
  }>('select article_id, score, label, model from article_sentiment')
  for (const article of body.articles) {
    const stored = rows.find(r => r.article_id === article.id)
    assert.equal(article.sentiment?.score, stored?.score, article.id)
    assert.equal(article.sentiment?.label, stored?.label, article.id)
    assert.equal(article.sentiment?.model, stored?.model, article.id)
  }
})

test('an article not scored yet has a null sentiment', async () => {
  await database.db.query(
    `insert into articles (id, source, feed_url, url, title, summary, published_at, published_at_estimated, fetched_at)
     values ('a0000000000000009', 'other', 'f', 'https://x.example.com/9', 'Unscored', '', '2026-11-24T00:00:00Z',
             false, now())`
  )
  const { body } = await getJson<ArticlesBody>(api.url, '/api/articles?source=other')
  assert.equal(body.articles[0]?.sentiment, null)
})

test('filters by coin, source, time range and text combine', async () => {
  assert.deepEqual(ids((await getJson<ArticlesBody>(api.url, '/api/articles?coin=BTC')).body), ['3', '1'])
  assert.deepEqual(ids((await getJson<ArticlesBody>(api.url, '/api/articles?source=coindesk')).body), [
    '3',
    '1'
  ])
  assert.deepEqual(
    ids((await getJson<ArticlesBody>(api.url, '/api/articles?coin=ETH&source=coindesk')).body),
    ['1']
  )
  assert.deepEqual(
    ids((await getJson<ArticlesBody>(api.url, `/api/articles?from=${hour(11)}&to=${hour(12)}`)).body),
    ['2']
  )
  assert.deepEqual(ids((await getJson<ArticlesBody>(api.url, '/api/articles?q=bitcoin')).body), ['3', '1'])
  assert.deepEqual(
    ids((await getJson<ArticlesBody>(api.url, '/api/articles?q=bitcoin%20-regulators')).body),
    ['1']
  )
  assert.deepEqual(
    ids((await getJson<ArticlesBody>(api.url, '/api/articles?q=%22schedule%20upgrade%22')).body),
    ['2']
  )
})

test('pages follow the cursor without gaps or repeats', async () => {
  const first = await getJson<ArticlesBody>(api.url, `/api/articles?limit=2&from=${hour(0)}`)
  assert.deepEqual(ids(first.body), ['3', '2'])
  assert.ok(first.body.nextCursor)
  const second = await getJson<ArticlesBody>(
    api.url,
    `/api/articles?limit=2&from=${hour(0)}&cursor=${first.body.nextCursor}`
  )
  assert.deepEqual(ids(second.body), ['1'])
  assert.equal(second.body.nextCursor, null)
})

test('no match is an empty list', async () => {
  const { status, body } = await getJson<ArticlesBody>(api.url, '/api/articles?coin=DOGE&q=nothing')
  assert.equal(status, 200)
  assert.deepEqual(body.articles, [])
})

test('bad filters are 400s naming the parameter', async () => {
  for (const [query, parameter] of [
    ['coin=btc', 'coin'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['q=', 'q'],
    ['from=yesterday', 'from'],
    ['limit=100000', 'limit']
  ] as const) {
    const { status, body } = await getJson<{ parameter: string }>(api.url, `/api/articles?${query}`)
    assert.equal(status, 400, query)
    assert.equal(body.parameter, parameter, query)
  }
})
