import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts'
import { insertSentimentPoint } from '../helpers/seed.ts'

interface SentimentBody {
  coin: string
  interval: string
  points: { bucket: string; indexValue: number; articles: number; scoreAvg: number }[]
  nextCursor: string | null
}
interface AlertsBody {
  alerts: { id: string; kind: string; symbol: string; severity: string; eventTs: string; details: object }[]
  nextCursor: string | null
}

let database: TestDatabase
let api: TestApi
let pipeline: Pipeline
const hour = (h: number): string => `2026-11-25T${String(h).padStart(2, '0')}:00:00Z`

before(async () => {
  database = await createTestDatabase()
  for (let h = 0; h < 6; h++) {
    await insertSentimentPoint(database.db, { code: 'BTC', interval: '1h', bucket: hour(h), index: h / 10 })
    await insertSentimentPoint(database.db, { code: '*', interval: '1h', bucket: hour(h), index: -h / 10 })
  }
  // Alerts through the real write path (Kafka rawalert → ingest); the sentiment series above stands in
  // for the analytics job's output, with values chosen to check ordering and paging.
  pipeline = await startPipeline({ databaseUrl: database.url })
  await pipeline.alerts([
    { id: 'al-1', kind: 'price_move', symbol: 'BTC/USD', eventTs: hour(1) },
    { id: 'al-2', kind: 'volume_spike', symbol: 'ETH/USD', eventTs: hour(2), severity: 'info' },
    { id: 'al-3', kind: 'sentiment_swing', symbol: 'BTC', eventTs: hour(3), severity: 'critical' },
    { id: 'al-4', kind: 'price_move', symbol: 'BTC/USD', eventTs: hour(4) }
  ])
  await pipeline.stored('select count(*) as n from alerts', 4)
  api = await startTestApi({ db: database.db })
})

after(async () => {
  await api?.close()
  await pipeline?.stop()
  await database?.drop()
})

test('the sentiment series of a coin comes oldest first, the market index by default', async () => {
  const btc = await getJson<SentimentBody>(api.url, '/api/sentiment?coin=BTC&limit=3')
  assert.equal(btc.status, 200)
  assert.deepEqual(
    btc.body.points.map(p => p.indexValue),
    [0.3, 0.4, 0.5]
  )
  assert.equal(btc.body.points[0]?.articles, 2)
  const market = await getJson<SentimentBody>(api.url, `/api/sentiment?from=${hour(4)}`)
  assert.equal(market.body.coin, '*')
  assert.equal(market.body.interval, '1h')
  assert.deepEqual(
    market.body.points.map(p => p.indexValue),
    [-0.4, -0.5]
  )
  const paged = await getJson<SentimentBody>(api.url, `/api/sentiment?coin=BTC&from=${hour(0)}&limit=4`)
  assert.ok(paged.body.nextCursor)
  const rest = await getJson<SentimentBody>(
    api.url,
    `/api/sentiment?coin=BTC&from=${hour(0)}&limit=4&cursor=${paged.body.nextCursor}`
  )
  assert.deepEqual(
    rest.body.points.map(p => p.indexValue),
    [0.4, 0.5]
  )
  const empty = await getJson<SentimentBody>(api.url, '/api/sentiment?coin=DOGE&interval=1d')
  assert.deepEqual(empty.body.points, [])
})

test('alerts filter by symbol, kind, severity and time, newest first', async () => {
  const ids = async (query: string): Promise<string[]> =>
    (await getJson<AlertsBody>(api.url, `/api/alerts?${query}`)).body.alerts.map(a => a.id)
  assert.deepEqual(await ids(''), ['al-4', 'al-3', 'al-2', 'al-1'])
  assert.deepEqual(await ids('symbol=BTC/USD'), ['al-4', 'al-1'])
  assert.deepEqual(await ids('kind=price_move'), ['al-4', 'al-1'])
  assert.deepEqual(await ids('severity=critical'), ['al-3'])
  assert.deepEqual(await ids('symbol=BTC'), ['al-3'])
  assert.deepEqual(await ids(`from=${hour(2)}&to=${hour(4)}`), ['al-3', 'al-2'])
  assert.deepEqual(await ids('kind=whale_trade'), [])
  const { body } = await getJson<AlertsBody>(api.url, '/api/alerts?limit=1')
  assert.deepEqual(body.alerts[0]?.details, { from: '1', to: '2' })
  assert.equal(body.alerts[0]?.eventTs, '2026-11-25T04:00:00Z')
  const next = await getJson<AlertsBody>(api.url, `/api/alerts?limit=3&cursor=${body.nextCursor}`)
  assert.deepEqual(
    next.body.alerts.map(a => a.id),
    ['al-3', 'al-2', 'al-1']
  )
})

test('bad sentiment and alert parameters are 400s naming the parameter', async () => {
  for (const [path, parameter] of [
    ['/api/sentiment?coin=bitcoin', 'coin'],
    ['/api/sentiment?interval=1w', 'interval'],
    ['/api/alerts?kind=moon', 'kind'],
    ['/api/alerts?severity=high', 'severity'],
    ['/api/alerts?symbol=btc-usd', 'symbol']
  ] as const) {
    const { status, body } = await getJson<{ parameter: string; expected: string }>(api.url, path)
    assert.equal(status, 400, path)
    assert.equal(body.parameter, parameter, path)
    assert.ok(body.expected.length > 0)
  }
})
