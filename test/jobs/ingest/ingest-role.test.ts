import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { createIngestRole } from '../../../src/jobs/ingest/ingest-role.ts'
import { DeadLetterHeaders } from '../../../src/bus/dead-letter.ts'
import { databaseAndBus } from '../../helpers/database-and-bus.ts'
import { createJobTopics } from '../../helpers/kafka.ts'
import { alert, article, book, ohlc, ticker } from '../../helpers/messages.ts'
import { uniqueName } from '../../helpers/names.ts'
import { hostRole, publishAll } from '../../helpers/role-host.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'
import { waitFor } from '../../helpers/wait.ts'

const setup = databaseAndBus()
const { bus } = setup

const count = async (sql: string): Promise<number> =>
  (await setup.database.db.query<{ n: number }>(sql)).rows[0]?.n ?? -1

test('every kind of record is stored once, however often it is delivered, and bad ones become dead letters with reason and origin', async () => {
  const topics = await createJobTopics(3)
  const {
    trade,
    ticker: tick,
    article: news,
    alert: alerts,
    ohlc: candles,
    book: books,
    deadLetter: dead
  } = topics
  const trades = syntheticTrades({
    symbol: 'BTC/USD',
    count: 500,
    startMicros: Date.UTC(2026, 0, 1) * 1000,
    seed: 7
  })
  const encode = (topic: string, key: string, value: unknown) => ({
    topic,
    key,
    value: JSON.stringify(value)
  })
  const good = [
    ...trades.map(t => encode(trade, t.symbol, t)),
    ...trades.slice(0, 100).map(t => encode(trade, t.symbol, t)), // delivered twice
    encode(tick, 'BTC/USD', ticker()),
    encode(tick, 'BTC/USD', ticker()),
    encode(news, article('Bitcoin rallies').id, article('Bitcoin rallies')),
    encode(alerts, 'BTC/USD', alert()),
    encode(candles, 'BTC/USD', ohlc()),
    encode(candles, 'BTC/USD', ohlc({ close: '83750.0', trades: 34, final: true })),
    encode(books, 'BTC/USD', book())
  ]
  const bad = [
    { topic: trade, key: 'BTC/USD', value: 'not json' },
    encode(trade, 'BTC/USD', { ...trades[0], price: 'free' }),
    encode(trade, 'ETH/USD', { ...trades[1] }),
    encode(trade, 'BTC/USD', { ...trades[2], tradeId: 99_999, qty: '0.00000000' }),
    encode(tick, 'BTC/USD', ticker({ exchangeTs: '2026-02-30T00:00:00Z' }))
  ]
  await publishAll(bus, [...good.slice(0, 300), ...bad, ...good.slice(300)])
  const ingest = await hostRole(createIngestRole({ topics, groupId: uniqueName('g-ingest') }), {
    databaseUrl: setup.database.url,
    env: { INGEST_BATCH_MAX_RECORDS: '200' }
  })
  const deadLetters: ConsumedRecord[] = []
  const watcher = await bus.subscribe({
    groupId: uniqueName('g-dl'),
    topics: [dead],
    handler: async b => void deadLetters.push(...b)
  })
  try {
    await waitFor(
      'the trades to be stored',
      async () => (await count('select count(*) as n from trades')) === 500,
      30_000
    )
    await waitFor('five dead letters', () => deadLetters.length >= 5, 60_000)
    await waitFor(
      'the book top',
      async () => (await count('select count(*) as n from book_tops')) === 1,
      30_000
    )
    assert.equal(await count('select count(distinct trade_id) as n from trades'), 500)
    assert.equal(await count('select count(*) as n from tickers'), 1)
    assert.equal(await count('select count(*) as n from articles'), 1)
    assert.equal(await count("select count(*) as n from article_coins where code = 'BTC'"), 1)
    assert.equal(await count('select count(*) as n from alerts'), 1)
    assert.equal(await count('select count(*) as n from exchange_candles where final and trades = 34'), 1)
    const stored = await setup.database.db.query<{ price: string; ts: string; received_at: string }>(
      'select price, ts, received_at from trades where trade_id = $1',
      [trades[3]?.tradeId]
    )
    assert.deepEqual(stored.rows[0], {
      price: trades[3]?.price,
      ts: trades[3]?.exchangeTs,
      received_at: trades[3]?.receivedAt
    })

    assert.equal(deadLetters.length, 5)
    const reasons = deadLetters.map(d => d.headers[DeadLetterHeaders.reason] ?? '')
    for (const expected of [
      /not JSON/,
      /\/price: /,
      /key "ETH\/USD" is not the record's symbol "BTC\/USD"/,
      /qty must be positive/,
      /exchangeTs: no such time/
    ]) {
      assert.equal(
        reasons.filter(r => expected.test(r)).length,
        1,
        `one dead letter for ${expected}: ${reasons.join(' | ')}`
      )
    }
    for (const d of deadLetters) {
      assert.ok(
        d.headers[DeadLetterHeaders.originTopic] === trade ||
          d.headers[DeadLetterHeaders.originTopic] === tick
      )
      assert.match(d.headers[DeadLetterHeaders.originOffset] ?? '', /^\d+$/)
      assert.equal(d.headers[DeadLetterHeaders.failedBy], 'ingest')
    }
    assert.ok(
      deadLetters.some(d => d.value.toString() === 'not json'),
      'the original bytes, unchanged'
    )

    const metrics = await ingest.metrics.metrics()
    assert.match(
      metrics,
      new RegExp(`cryptoviz_ingest_records_total\\{topic="${trade}",outcome="stored"\\} 500`)
    )
    assert.match(
      metrics,
      new RegExp(`cryptoviz_ingest_records_total\\{topic="${trade}",outcome="dead_lettered"\\} 4`)
    )
    assert.equal(ingest.health.report().checks.ingest?.status, 'up')
    const tape = ingest.liveEvents.filter(e => e.channel === 'trades')
    assert.ok(tape.length > 0)
    assert.ok(ingest.liveEvents.some(e => e.channel === 'alerts' && e.key === 'BTC/USD'))
  } finally {
    await watcher.close()
    await ingest.stop()
  }
})

test('an alert published again (analytics crashed after publishing, or a redelivery) is stored once and announced live once', async () => {
  const topics = await createJobTopics(1)
  const whale = alert({
    id: 'whale_trade:ETH/USD:4242',
    rule: 'whale_trade',
    kind: 'whale_trade',
    symbol: 'ETH/USD',
    title: 'ETH/USD whale buy'
  })
  const move = alert({ id: 'price_move_5m:ETH/USD:2026-11-25T14:00:00Z', symbol: 'ETH/USD' })
  const encode = (value: unknown) => ({ topic: topics.alert, key: 'ETH/USD', value: JSON.stringify(value) })
  const ingest = await hostRole(createIngestRole({ topics, groupId: uniqueName('g-alerts-again') }), {
    databaseUrl: setup.database.url
  })
  const handled = async (): Promise<number> => {
    const text = await ingest.metrics.metrics()
    const counted = [
      ...text.matchAll(/cryptoviz_ingest_records_total\{topic="[^"]+",outcome="[^"]+"\} (\d+)/g)
    ]
    return counted.reduce((n, m) => n + Number(m[1]), 0)
  }
  try {
    // Twice in one batch, then again in later batches, the last time with other figures.
    await publishAll(bus, [encode(whale), encode(whale), encode(move)])
    await waitFor('the first batch', async () => (await handled()) === 3, 60_000)
    await publishAll(bus, [encode(whale)])
    await waitFor('the second batch', async () => (await handled()) === 4, 60_000)
    await publishAll(bus, [encode({ ...move, title: 'figures of a second evaluation', value: 9 })])
    await waitFor('the third batch', async () => (await handled()) === 5, 60_000)

    const { rows } = await setup.database.db.query<{ id: string; title: string }>(
      "select id, title from alerts where symbol = 'ETH/USD' order by id"
    )
    assert.deepEqual(rows, [
      { id: move.id, title: move.title },
      { id: whale.id, title: whale.title }
    ])
    const announced = ingest.liveEvents
      .filter(e => e.channel === 'alerts')
      .map(e => (e.data as { id: string; title: string }).id)
    assert.deepEqual(announced.sort(), [move.id, whale.id], 'each alert announced once')
    const metrics = await ingest.metrics.metrics()
    assert.match(metrics, new RegExp(`topic="${topics.alert}",outcome="stored"\\} 2\\n`))
    assert.match(metrics, new RegExp(`topic="${topics.alert}",outcome="duplicate"\\} 3\\n`))
  } finally {
    await ingest.stop()
  }
})
