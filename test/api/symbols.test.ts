import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type TestApi, getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { insertTicker, insertTrades } from '../helpers/seed.ts'

interface SymbolsBody {
  symbols: {
    symbol: string
    ticker: { symbol: string; time: string; last: string; bid: string; changePct24h: string } | null
  }[]
}

let database: TestDatabase
let api: TestApi

before(async () => {
  database = await createTestDatabase()
  api = await startTestApi({ db: database.db, env: { CACHE_MAX_STALENESS_MS: '300' } })
})

after(async () => {
  await api?.close()
  await database?.drop()
})

test('with nothing stored the symbol list is empty', async () => {
  const { status, body } = await getJson<SymbolsBody>(api.url, '/api/symbols')
  assert.equal(status, 200)
  assert.deepEqual(body.symbols, [])
})

test('every symbol with tickers or trades is listed once, with its latest ticker (or null)', async () => {
  await insertTicker(database.db, 'ETH/USD', '2026-11-25T14:00:00.000001Z', '3000.1')
  await insertTicker(database.db, 'ETH/USD', '2026-11-25T14:00:02.000002Z', '3002.2')
  await insertTicker(database.db, 'BTC/USD', '2026-11-25T14:00:01.000000Z', '91000.5')
  await insertTrades(database.db, [{ symbol: 'SOL/USD', tradeId: 1, time: '2026-11-25T14:00:00Z' }])
  // The first (empty) answer was cached and no live event announced these rows: the bound alone
  // must make them visible.
  await new Promise(resolve => setTimeout(resolve, 300))
  const { body } = await getJson<SymbolsBody>(api.url, '/api/symbols')
  assert.deepEqual(
    body.symbols.map(s => s.symbol),
    ['BTC/USD', 'ETH/USD', 'SOL/USD']
  )
  const eth = body.symbols[1]?.ticker
  assert.equal(eth?.time, '2026-11-25T14:00:02.000002Z')
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
