import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { test } from 'node:test'
import { storedTrades } from '../../helpers/db.ts'
import { databaseAndBus } from '../../helpers/database-and-bus.ts'
import { createJobTopics } from '../../helpers/kafka.ts'
import { uniqueName } from '../../helpers/names.ts'
import { publishAll } from '../../helpers/role-host.ts'
import { syntheticTrades } from '../../helpers/synthetic-trades.ts'
import { waitFor } from '../../helpers/wait.ts'

const setup = databaseAndBus()
const { bus } = setup

function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/helpers/role-child.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) resolve(child)
    })
    child.once('exit', code => reject(new Error(`child exited early with ${code}`)))
  })
}

test('killing an ingest process mid-batch and restarting it leaves every trade stored exactly once', async () => {
  const topics = await createJobTopics(3)
  const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD']
  const trades = symbols.flatMap((symbol, i) =>
    syntheticTrades({ symbol, count: 6000, startMicros: Date.UTC(2026, 0, 1) * 1000, seed: 20 + i })
  )
  await publishAll(
    bus,
    trades.map(t => ({ topic: topics.trade, key: t.symbol, value: JSON.stringify(t) }))
  )
  const env = {
    ROLE: 'ingest',
    TOPICS: JSON.stringify(topics),
    GROUP_ID: uniqueName('g-kill'),
    DATABASE_URL: setup.database.url,
    // Small batches: the kill lands between the writes of a run of batches, not after the last one.
    INGEST_BATCH_MAX_RECORDS: '150'
  }
  let child = await startChild(env)
  const before = await waitFor(
    'part of the trades',
    async () => {
      const s = await storedTrades(setup.database.db)
      return s.rows > 0 && s.rows < trades.length ? s : undefined
    },
    60_000,
    5
  )
  child.kill('SIGKILL')
  await new Promise(resolve => child.once('exit', resolve))
  const atKill = await storedTrades(setup.database.db)
  assert.ok(
    atKill.rows >= before.rows && atKill.rows < trades.length,
    `killed mid-way (${atKill.rows} stored)`
  )

  child = await startChild(env)
  try {
    // The restarted ingest commits a batch's offsets only once its rows are written: with no lag left
    // on any partition (committed at its end; one may hold no trade), nothing in flight can add rows.
    await waitFor(
      'the restarted ingest to commit the offsets of every trade',
      async () => {
        const offsets = await bus.inspector.groupOffsets(env.GROUP_ID, [topics.trade])
        return (
          offsets.length === 3 &&
          offsets.reduce((sum, o) => sum + o.end, 0n) === BigInt(trades.length) &&
          offsets.every(o => o.lag === 0n)
        )
      },
      120_000,
      200
    )
    assert.deepEqual(await storedTrades(setup.database.db), { rows: trades.length, ids: trades.length })
    const { rows } = await setup.database.db.query<{
      symbol: string
      first: number
      last: number
      n: number
    }>(
      'select symbol, min(trade_id) as first, max(trade_id) as last, count(*) as n from trades group by symbol order by symbol'
    )
    assert.deepEqual(
      rows,
      [...symbols].sort().map(symbol => ({ symbol, first: 1, last: 6000, n: 6000 }))
    )
  } finally {
    child.kill('SIGTERM')
    await new Promise(resolve => child.once('exit', resolve))
  }
})
