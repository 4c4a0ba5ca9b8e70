import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { configFromEnv } from '../../../src/config/config.ts'
import { ALERT_GATE_CAPACITY, AlertGate } from '../../../src/jobs/analytics/alerts/alert-ids.ts'
import { INTERVALS } from '../../../src/jobs/analytics/candles/intervals.ts'
import { processBatch } from '../../../src/jobs/analytics/process-batch.ts'
import { analyticsSettings } from '../../../src/jobs/analytics/settings.ts'
import {
  AnalyticsState,
  type PartitionKind,
  type StateFootprint
} from '../../../src/jobs/analytics/state/partition-state.ts'
import { MICROS_PER_MINUTE, microsToIso } from '../../../src/lib/event-time.ts'
import type { TradeV1 } from '../../../src/schemas/trade.v1.ts'
import { type TestDatabase, createTestDatabase } from '../../helpers/db.ts'
import { ticker } from '../../helpers/messages.ts'
import { jitter, syntheticTrades } from '../../helpers/synthetic-trades.ts'

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(async () => {
  await database.drop()
})

const DAY = 1440 * MICROS_PER_MINUTE
const START = Date.UTC(2025, 0, 1, 12, 0) * 1000
const TRADES_PER_DAY = 40
// Symbol → trade partition: two symbols share partition 0, as keyed partitioning does.
const SYMBOLS: [string, number][] = [
  ['BTC/USD', 0],
  ['ETH/USD', 0],
  ['SOL/USD', 1]
]
// The defaults: 60 s of lateness, 200 candles of history, a p99.9 whale quantile over 5,000 trades.
const config = configFromEnv({})
const settings = analyticsSettings(config.analytics, config.kraken.symbols)

type Input = Omit<ConsumedRecord, 'offset' | 'partition' | 'topic'> & {
  kind: PartitionKind
  partition: number
}

const input = (kind: PartitionKind, partition: number, key: string, value: unknown): Input => ({
  kind,
  partition,
  key,
  value: Buffer.from(JSON.stringify(value)),
  headers: {},
  timestamp: 0
})

/**
 * One day of a market, the same shape every day: per symbol a burst of trades a few minutes long,
 * in local disorder, with an id never delivered (a gap), two trades delivered twice and one far too
 * late; and a minute of tickers for two symbols.
 */
function day(d: number): Input[] {
  const out: Input[] = []
  for (const [s, [symbol, partition]] of SYMBOLS.entries()) {
    const trades = syntheticTrades({
      symbol,
      count: TRADES_PER_DAY + 1,
      startMicros: START + d * DAY + s * 600_000_000,
      seed: 11 + s,
      firstId: 1 + d * (TRADES_PER_DAY + 1),
      maxGapMicros: 5_000_000
    })
    const delivered = jitter(
      trades.filter((_, i) => i !== 7),
      6,
      100 + s
    )
    delivered.push(delivered[3] as TradeV1, delivered[20] as TradeV1)
    const first = trades[0] as TradeV1
    delivered.push({
      ...first,
      tradeId: first.tradeId + 7,
      exchangeTs: microsToIso(START + d * DAY - 3_600_000_000)
    })
    for (const t of delivered) out.push(input('trade', partition, symbol, t))
  }
  for (const symbol of ['BTC/USD', 'ETH/USD']) {
    for (let i = 0; i < 12; i++) {
      const ts = microsToIso(START + d * DAY + i * 5_000_000)
      const bid = 100_000 + ((i * 7) % 11)
      out.push(
        input(
          'ticker',
          0,
          symbol,
          ticker({ symbol, bid: `${bid}.0`, ask: `${bid + 3}.0`, exchangeTs: ts, receivedAt: ts })
        )
      )
    }
  }
  return out
}

/** Runs `days` days through a fresh state in batches of 500 records, as the role does between commits. */
async function run(days: number, prefix: string): Promise<{ footprint: StateFootprint; records: number }> {
  const topics = { trade: `${prefix}-trade`, ticker: `${prefix}-ticker` }
  const state = new AnalyticsState(`bounds-${prefix}`, settings, topic =>
    topic === topics.trade ? 'trade' : topic === topics.ticker ? 'ticker' : undefined
  )
  await state.ensureLoaded(database.db, [
    { topic: topics.trade, partition: 0 },
    { topic: topics.trade, partition: 1 },
    { topic: topics.ticker, partition: 0 }
  ])
  const offsets = new Map<string, bigint>()
  let pending: ConsumedRecord[] = []
  let records = 0
  const flush = (): void => {
    const work = processBatch(pending, state, settings)
    for (const offset of work.offsets) {
      const partition = state.get(offset)
      if (partition !== undefined) partition.nextOffset = offset.nextOffset
    }
    pending = []
  }
  for (let d = 0; d < days; d++) {
    for (const { kind, ...record } of day(d)) {
      const topic = topics[kind as 'trade' | 'ticker']
      const key = `${topic}/${record.partition}`
      const offset = offsets.get(key) ?? 0n
      offsets.set(key, offset + 1n)
      pending.push({ ...record, topic, offset })
      records++
      if (pending.length === 500) flush()
    }
  }
  flush()
  return { footprint: state.footprint(), records }
}

test('the analytics state holds as many entries after 440 days of trades as after 220: its size follows the event-time horizon, not the number of trades', async () => {
  // 220 days: past every horizon (200 daily candles of history, the whale window, the lateness).
  const half = await run(220, 'half')
  const full = await run(440, 'full')
  assert.equal(full.records, 2 * half.records)
  assert.deepEqual(full.footprint, half.footprint)
  // Every part is exercised, and within what the horizon allows.
  const { candles, seenRanges, whaleCandidates, spreadBuckets, symbols, partitions } = full.footprint
  assert.deepEqual({ partitions, symbols }, { partitions: 3, symbols: 5 })
  const perSymbol = INTERVALS.reduce(
    (n, i) => n + settings.candleHistory + Math.ceil(settings.latenessMicros / i.micros) + 1,
    0
  )
  assert.ok(candles > 0 && candles <= SYMBOLS.length * perSymbol, `${candles} candles`)
  assert.ok(spreadBuckets > 0 && spreadBuckets <= 2 * perSymbol, `${spreadBuckets} spread buckets`)
  assert.ok(seenRanges > 0 && seenRanges <= SYMBOLS.length * TRADES_PER_DAY, `${seenRanges} seen ranges`)
  assert.ok(whaleCandidates > 0, `${whaleCandidates} whale candidates`)
})

test('the alert gate remembers at most its capacity of ids, however many alerts one window raises', () => {
  const cooldown = 15 * MICROS_PER_MINUTE
  const gate = new AlertGate(cooldown)
  // A flood within one window: nothing is old enough to forget by time.
  for (let i = 0; i < 5 * ALERT_GATE_CAPACITY; i++) gate.remember(`whale_trade:BTC/USD:${i}`, START + i)
  assert.ok(gate.size <= ALERT_GATE_CAPACITY, `${gate.size} ids`)
  assert.ok(gate.has(`whale_trade:BTC/USD:${5 * ALERT_GATE_CAPACITY - 1}`), 'the newest is remembered')
  // Two windows later, the flood is what goes first when the gate fills again.
  gate.remember('later', START + 3 * cooldown)
  for (let i = 0; gate.size >= 100; i++) gate.remember(`new-${i}`, START + 3 * cooldown + i)
  assert.ok(gate.has('later'), 'an id of the current window stays')
})
