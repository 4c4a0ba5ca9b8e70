import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { waitFor } from '../helpers/wait.ts'
import { type Pipeline, startPipeline } from '../helpers/pipeline.ts'

interface SymbolsBody {
  symbols: {
    symbol: string
    ticker: { symbol: string; ts: string; last: string; bid: string; changePct24h: string } | null
  }[]
}

let database: TestDatabase
let api: TestApi
let pipeline: Pipeline

before(async () => {
  database = await createTestDatabase()
  pipeline = await startPipeline({ databaseUrl: database.url })
  api = await startTestApi({ db: database.db, env: { CACHE_MAX_STALENESS_MS: '300' } })
})

after(async () => {
  await api?.close()
  await pipeline?.stop()
  await database?.drop()
})

test('with nothing stored the symbol list is empty', async () => {
  const { status, body } = await getJson<SymbolsBody>(api.url, '/api/symbols')
  assert.equal(status, 200)
  assert.deepEqual(body.symbols, [])
})

test('every symbol with tickers or trades is listed once, with its latest ticker (or null)', async () => {
  await pipeline.tickers([
    { symbol: 'ETH/USD', exchangeTs: '2026-11-25T14:00:00.000001Z', last: '3000.1' },
    { symbol: 'ETH/USD', exchangeTs: '2026-11-25T14:00:02.000002Z', last: '3002.2', bid: '3002.1' },
    { symbol: 'BTC/USD', exchangeTs: '2026-11-25T14:00:01.000000Z', last: '91000.5' }
  ])
  await pipeline.trades([{ symbol: 'SOL/USD', tradeId: 1, exchangeTs: '2026-11-25T14:00:00Z' }])
  await pipeline.stored('select (select count(*) from tickers) + (select count(*) from trades) as n', 4)
  // The first (empty) answer may still be cached: the ingest's ticker announcement or, at worst,
  // the staleness bound makes the new rows visible.
  const body = await waitFor('the three symbols', async () => {
    const answer = (await getJson<SymbolsBody>(api.url, '/api/symbols')).body
    return answer.symbols.length === 3 ? answer : false
  })
  assert.deepEqual(
    body.symbols.map(s => s.symbol),
    ['BTC/USD', 'ETH/USD', 'SOL/USD']
  )
  const eth = body.symbols[1]?.ticker
  assert.equal(eth?.ts, '2026-11-25T14:00:02.000002Z')
  assert.equal(eth?.last, '3002.2')
  assert.equal(eth?.bid, '3002.1')
  assert.equal(eth?.changePct24h, '-0.51')
  assert.equal(body.symbols[2]?.ticker, null)
})

test('the symbol list takes no parameters', async () => {
  const { status, body } = await getJson<{ parameter: string }>(api.url, '/api/symbols?symbol=BTC/USD')
  assert.equal(status, 400)
  assert.equal(body.parameter, 'symbol')
})
