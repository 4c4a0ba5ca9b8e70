/**
 * The writers' own tests (idempotence, upsert rules, job bookkeeping), as a contract every database
 * implementation meets: run against PostgreSQL and PGlite by storage-*.test.ts.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Database } from '../../../src/store/database.ts'
import { ensureArticles, upsertArticles } from '../../../src/store/writers/articles.ts'
import { writeExchangeCandles } from '../../../src/store/writers/exchange-feeds.ts'
import {
  ensureJobOffsets,
  readJobOffsets,
  readJobState,
  writeJobOffsets,
  writeJobState
} from '../../../src/store/writers/job-bookkeeping.ts'
import { insertTradesInTransaction, writeTrades } from '../../../src/store/writers/trades.ts'
import { article, ohlc } from '../../helpers/messages.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'

export function writersContract(name: string, db: () => Database): void {
  test(`${name}: a trade written twice, in one statement or two, is one row; the optimistic insert says how many were new`, async () => {
    const trades = syntheticTrades({
      symbol: 'BTC/USD',
      count: 10,
      startMicros: Date.UTC(2026, 0, 1) * 1000,
      seed: 3
    })
    assert.equal(await writeTrades(db(), [...trades.slice(0, 5), ...trades.slice(0, 5)]), 5)
    assert.equal(await db().transaction(tx => insertTradesInTransaction(tx, trades.slice(5))), 5)
    assert.equal(await db().transaction(tx => insertTradesInTransaction(tx, trades)), 0)
    const { rows } = await db().query<{ n: number }>(
      "select count(*) as n from trades where symbol = 'BTC/USD'"
    )
    assert.equal(rows[0]?.n, 10)
  })

  test(`${name}: an article upsert replaces its coin list; ensuring an article never overwrites the stored one`, async () => {
    const first = article('Ether upgrade approved', {
      coins: [
        { code: 'ETH', mentions: 2, inTitle: true },
        { code: 'BTC', mentions: 1, inTitle: false }
      ]
    })
    await upsertArticles(db(), [first])
    await upsertArticles(db(), [
      { ...first, summary: 'fuller', coins: [{ code: 'ETH', mentions: 3, inTitle: true }] }
    ])
    await ensureArticles(db(), [{ ...first, summary: 'older copy' }])
    const { rows } = await db().query<{ summary: string; coins: string[] }>(
      'select summary, array(select code from article_coins c where c.article_id = a.id order by code) as coins from articles a where id = $1',
      [first.id]
    )
    assert.deepEqual(rows[0], { summary: 'fuller', coins: ['ETH'] })
  })

  test(`${name}: Kraken's running candle is overwritten until it is final, and a late running update cannot undo the final one`, async () => {
    await writeExchangeCandles(db(), [ohlc({ trades: 1 }), ohlc({ trades: 2 })])
    await writeExchangeCandles(db(), [ohlc({ trades: 5, final: true })])
    await writeExchangeCandles(db(), [ohlc({ trades: 3 })])
    const { rows } = await db().query<{ trades: number; final: boolean }>(
      "select trades, final from exchange_candles where symbol = 'BTC/USD'"
    )
    assert.deepEqual(rows, [{ trades: 5, final: true }])
  })

  test(`${name}: job offsets start at 0, can be locked and advanced; job state round-trips per partition`, async () => {
    const parts = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 }
    ]
    await ensureJobOffsets(db(), 'job', parts)
    await writeJobOffsets(db(), 'job', [{ topic: 't', partition: 1, nextOffset: 42 }])
    await ensureJobOffsets(db(), 'job', parts)
    const offsets = await db().transaction(tx => readJobOffsets(tx, 'job', parts, { forUpdate: true }))
    assert.deepEqual(
      offsets.map(o => o.nextOffset),
      [0, 42]
    )
    await writeJobState(db(), 'job', [
      { topic: 't', partition: 1, key: 'BTC/USD', state: { watermark: 5, seen: [[1, 2, 5]] } }
    ])
    assert.deepEqual(await readJobState(db(), 'job', [{ topic: 't', partition: 1 }]), [
      { topic: 't', partition: 1, key: 'BTC/USD', state: { watermark: 5, seen: [[1, 2, 5]] } }
    ])
    assert.deepEqual(await readJobState(db(), 'job', [{ topic: 't', partition: 0 }]), [])
  })
}
