import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import { startReplaySources } from '../../src/sim/replay.ts'
import { RUN_ID_STRIDE, beginReplayRun } from '../../src/sim/replay-state.ts'
import { tempDir } from '../helpers/embedded.ts'

test('each start of the replay in a data folder is a new run whose trade ids lie past every earlier run', async () => {
  const dir = await tempDir()
  const first = await beginReplayRun(dir)
  await first.save({ 'BTC/USD': 101_234.5 })
  const second = await beginReplayRun(dir)
  assert.deepEqual([first.run, second.run], [1, 2])
  assert.deepEqual(second.mids, { 'BTC/USD': 101_234.5 }, 'the market resumes where it stopped')
  assert.ok(second.awayMs !== undefined && second.awayMs >= 0)
  assert.equal(first.awayMs, undefined)
  await writeFile(join(dir, 'state.json'), '{ torn')
  const third = await beginReplayRun(dir)
  assert.ok(third.run > 2, 'an unreadable state never restarts the numbering at 1')
})

test('a restarted replay continues the market: later ids, the last price, history only for the time away', async () => {
  const dir = await tempDir()
  const idsOf = async (): Promise<{ run: number; history: number; ids: number[]; mid: number }> => {
    const replay = await startReplaySources({ symbols: ['BTC/USD'], feeds: false, stateDir: dir })
    try {
      const market = replay.kraken.server.market
      assert.ok(market instanceof SyntheticMarket)
      const history = market.history.recent('BTC/USD', 100_000).length
      const ids = market.emitTrades('BTC/USD', 20).map(t => t.id)
      return { run: replay.run, history, ids, mid: market.mids()['BTC/USD'] ?? 0 }
    } finally {
      await replay.close()
    }
  }
  const first = await idsOf()
  const second = await idsOf()
  assert.deepEqual([first.run, second.run], [1, 2])
  assert.ok(first.history > 100, 'a first run comes with an hour of history')
  assert.ok(second.history < first.history / 10, 'a run a moment later fills only that moment')
  const firstMax = Math.max(...first.ids)
  assert.ok(
    second.ids.every(id => id > firstMax && id >= RUN_ID_STRIDE),
    'no id of the first run comes again'
  )
  assert.ok(Math.abs(second.mid / first.mid - 1) < 0.001, 'the price continues from where it stopped')
})
