/**
 * `npm run bench:pipeline`: Kafka → ingest → PostgreSQL, measured from outside.
 *
 * The ingest role runs as its own process (as in production) on topics and a database of its own.
 * 1. Throughput: (a) drain: N synthetic trades published at full speed before ingest starts, then
 *    the sustained stored rate (rows committed per second between 10 % and 90 % of the run): the
 *    pipeline's own capacity; (b) concurrent: N more published at full speed while ingest stores.
 * 2. Latency: trades published at a fixed rate (default 5,000/s); each trade's latency is from just
 *    before its publish to the moment it is visible (committed) in PostgreSQL, found by polling the
 *    highest stored trade id per symbol every few ms; p50/p95/p99 reported, plus the database's own
 *    view (ingested_at − received_at, which stops at the transaction start, not its commit).
 *
 * 3. Embedded: the same two throughput phases through the embedded bus → ingest → PGlite in this
 *    process, as `npm start` runs without the full stack (embedded-pipeline.ts).
 *
 * Options (environment): BENCH_TRADES (300000), BENCH_RATE (5000), BENCH_SECONDS (20),
 * BENCH_RUNS (`full,embedded`: which of the two stacks), INGEST_BATCH_MAX_RECORDS /
 * INGEST_BATCH_MAX_WAIT_MS (passed to the ingest process).
 * Needs the local Kafka and PostgreSQL (scripts/infra.sh start) for the full run. Prints the
 * machine's core count.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts'
import { microsToIso } from '../src/lib/event-time.ts'
import { nowMicros } from '../src/lib/time.ts'
import { silentLogger } from '../src/log/logger.ts'
import { createTestDatabase } from '../test/helpers/db.ts'
import { createJobTopics, testKafka } from '../test/helpers/kafka.ts'
import { uniqueName } from '../test/helpers/names.ts'
import { cpuSeconds } from './cpu-accounting.ts'
import { runEmbeddedPipeline } from './embedded-pipeline.ts'

const TRADES = Number(process.env.BENCH_TRADES ?? 300_000)
const RATE = Number(process.env.BENCH_RATE ?? 5_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20)
const RUNS = new Set((process.env.BENCH_RUNS ?? 'full,embedded').split(','))
const SYMBOLS = Array.from({ length: 12 }, (_, i) => `B${String(i).padStart(2, '0')}/USD`)

const line = (text: string): void => void process.stdout.write(`${text}\n`)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function trade(symbol: string, id: number, receivedMicros: bigint): string {
  const received = microsToIso(Number(receivedMicros))
  return JSON.stringify({
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId: id,
    price: `${100_000 + (id % 997)}.${id % 10}0000`,
    qty: `0.${String((id * 7919) % 100_000_000).padStart(8, '0')}`,
    side: id % 2 === 0 ? 'buy' : 'sell',
    ordType: id % 3 === 0 ? 'market' : 'limit',
    exchangeTs: received,
    receivedAt: received,
    source: 'ws'
  })
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function startIngest(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/helpers/role-child.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve())
    child.once('exit', code => reject(new Error(`ingest exited with ${code}`)))
  })
  return child
}

line(
  `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
)
line('shared machine: Kafka, PostgreSQL, the publisher and the ingest process all run on these cores')

/** Kafka → ingest in its own process → PostgreSQL: throughput, CPU per trade and latency. */
async function fullStackRun(): Promise<void> {
  const database = await createTestDatabase()
  const bus = new KafkaBus(testKafka, silentLogger())
  const topics = await createJobTopics(3)
  const count = async (): Promise<number> =>
    (await database.db.query<{ n: number }>('select count(*)::int as n from trades')).rows[0]?.n ?? 0

  let nextThroughputId = 1_000
  function syntheticBatch(n: number) {
    return Array.from({ length: n }, () => {
      const id = nextThroughputId++
      const symbol = SYMBOLS[id % SYMBOLS.length] as string
      return { topic: topics.trade, key: symbol, value: trade(symbol, id, nowMicros()) }
    })
  }

  /** Publishes at full speed (4 requests in flight); resolves with the elapsed milliseconds. */
  async function publishFast(values: ReturnType<typeof syntheticBatch>): Promise<number> {
    const started = performance.now()
    const inFlight = new Set<Promise<void>>()
    for (let i = 0; i < values.length; i += 5_000) {
      const sending: Promise<void> = bus
        .publish(values.slice(i, i + 5_000))
        .finally(() => inFlight.delete(sending))
      inFlight.add(sending)
      if (inFlight.size >= 4) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    return performance.now() - started
  }

  /** Polls the stored count until `target` more rows are there; the rate between 10 % and 90 %. */
  async function storedRate(
    base: number,
    target: number,
    report: (n: number) => void
  ): Promise<{ rate: number; ms: number }> {
    const samples: { t: number; n: number }[] = []
    const started = performance.now()
    while (samples.at(-1)?.n !== target) {
      samples.push({ t: performance.now(), n: (await count()) - base })
      if (samples.length % 50 === 0) report(samples.at(-1)?.n ?? 0)
      await sleep(100)
    }
    const at = (fraction: number) => samples.find(x => x.n >= target * fraction) ?? { t: NaN, n: NaN }
    const [from, to] = [at(0.1), at(0.9)]
    return { rate: ((to.n - from.n) / (to.t - from.t)) * 1000, ms: performance.now() - started }
  }

  let ingest: ChildProcess | undefined
  try {
    line('full stack: Kafka → ingest (its own process) → PostgreSQL')

    // 1a. Drain: a backlog published first, then ingest started: the pipeline's own capacity.
    const backlog = syntheticBatch(TRADES)
    const publishMs = await publishFast(backlog)
    line(
      `publish:    ${TRADES} trades into Kafka in ${(publishMs / 1000).toFixed(1)} s (${Math.round((TRADES / publishMs) * 1000)}/s)`
    )
    ingest = await startIngest({
      ROLE: 'ingest',
      TOPICS: JSON.stringify(topics),
      GROUP_ID: uniqueName('bench'),
      DATABASE_URL: database.url,
      INGEST_BATCH_MAX_RECORDS: process.env.INGEST_BATCH_MAX_RECORDS ?? '5000',
      INGEST_BATCH_MAX_WAIT_MS: process.env.INGEST_BATCH_MAX_WAIT_MS ?? '50',
      INGEST_LIVE_TRADES_PER_SYMBOL: '0'
    })
    const child = ingest
    const databaseName = new URL(database.url).pathname.slice(1)
    const stages = {
      ingest: (_cmdline: string, pid: number) => pid === child.pid,
      // This database's backends, and the WAL writer and checkpointer that every commit needs.
      postgres: (cmdline: string) =>
        cmdline.startsWith(`postgres: `) &&
        (cmdline.includes(` ${databaseName} `) ||
          /postgres: (walwriter|checkpointer|background writer)/.test(cmdline)),
      kafka: (cmdline: string) => cmdline.includes('kafka.Kafka ')
    }
    const cpuBefore = cpuSeconds(stages)
    const drain = await storedRate(0, TRADES, n => line(`            … ${n} stored`))
    const cpuAfter = cpuSeconds(stages)
    line(
      `drain:      ${TRADES} trades stored in ${(drain.ms / 1000).toFixed(1)} s; sustained ${Math.round(drain.rate)} trades/s (10 %–90 %)`
    )
    const perTrade = Object.fromEntries(
      Object.keys(stages).map(name => {
        const stage = name as keyof typeof stages
        return [stage, ((cpuAfter[stage] - cpuBefore[stage]) / TRADES) * 1e6]
      })
    ) as Record<keyof typeof stages, number>
    const totalMicros = perTrade.ingest + perTrade.postgres + perTrade.kafka
    if (totalMicros > 0)
      line(
        `            CPU per trade: ingest ${perTrade.ingest.toFixed(1)} µs, PostgreSQL ${perTrade.postgres.toFixed(1)} µs, ` +
          `Kafka ${perTrade.kafka.toFixed(1)} µs: ${totalMicros.toFixed(1)} µs in all, so ≈ ${Math.round((availableParallelism() / totalMicros) * 1e6)} trades/s ` +
          `on ${availableParallelism()} idle cores (load average now ${loadavg()[0]?.toFixed(1)})`
      )

    // 1b. Concurrent: publishing at full speed while ingest stores.
    const base = await count()
    const live = syntheticBatch(TRADES)
    const storing = storedRate(base, TRADES, n => line(`            … ${n} stored`))
    const liveMs = await publishFast(live)
    const concurrent = await storing
    line(
      `concurrent: ${TRADES} trades published at full speed (${Math.round((TRADES / liveMs) * 1000)}/s) while stored; sustained ${Math.round(concurrent.rate)} trades/s stored`
    )

    // 2. Latency at a fixed rate.
    const publishTimes = new Map<string, number[]>()
    const highest = new Map<string, number>()
    const latencies: number[] = []
    const firstId = 10_000_000
    let nextId = firstId
    let pacing = true
    const watcher = (async () => {
      while (pacing || latencies.length < nextId - firstId) {
        const { rows } = await database.db.query<{ symbol: string; id: number }>(
          `select s as symbol, (select max(trade_id) from trades where symbol = s and trade_id >= $2) as id
             from unnest($1::text[]) s`,
          [SYMBOLS, firstId]
        )
        const seen = performance.now()
        for (const { symbol, id } of rows) {
          if (id === null) continue
          const times = publishTimes.get(symbol) ?? []
          for (let k = (highest.get(symbol) ?? firstId - 1) + 1; k <= id; k++) {
            const sent = times[k - firstId]
            if (sent !== undefined) latencies.push(seen - sent)
          }
          highest.set(symbol, Math.max(highest.get(symbol) ?? 0, id))
        }
        await sleep(5)
      }
    })()
    const perTick = RATE / 100
    const pacedStart = performance.now()
    for (let tick = 0; tick < SECONDS * 100; tick++) {
      const due = pacedStart + tick * 10
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      const batch = []
      for (let k = 0; k < perTick; k++) {
        const id = nextId++
        // One symbol per id keeps ids increasing per symbol: "highest id stored" means "all stored".
        const symbol = SYMBOLS[Math.floor((id - firstId) / 1) % SYMBOLS.length] as string
        const times = publishTimes.get(symbol) ?? []
        times[id - firstId] = performance.now()
        publishTimes.set(symbol, times)
        batch.push({ topic: topics.trade, key: symbol, value: trade(symbol, id, nowMicros()) })
      }
      void bus.publish(batch)
    }
    pacing = false
    await Promise.race([watcher, sleep(30_000)])
    latencies.sort((a, b) => a - b)
    const offered = ((nextId - firstId) / (performance.now() - pacedStart)) * 1000
    line(
      `latency at ${RATE}/s for ${SECONDS} s (${latencies.length} trades, offered ${Math.round(offered)}/s), publish → committed: ` +
        `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms`
    )
    const { rows } = await database.db.query<{ p50: number; p95: number; p99: number }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95,
              percentile_cont(0.99) within group (order by ms) as p99
         from (select extract(epoch from ingested_at - received_at) * 1000 as ms from trades where trade_id >= $1) x`,
      [firstId]
    )
    const db = rows[0]
    line(
      `            database view (received_at → ingested_at, transaction start): p50 ${db?.p50.toFixed(1)} ms, p95 ${db?.p95.toFixed(1)} ms, p99 ${db?.p99.toFixed(1)} ms`
    )
    line(
      `settings: batch ≤ ${process.env.INGEST_BATCH_MAX_RECORDS ?? 5000} records / ${process.env.INGEST_BATCH_MAX_WAIT_MS ?? 50} ms, 3 partitions, ${SYMBOLS.length} symbols, acks=all, zstd`
    )
  } finally {
    if (ingest !== undefined) {
      const child = ingest
      child.kill('SIGTERM')
      await new Promise(resolve => child.once('exit', resolve))
    }
    await bus.close()
    await database.drop()
  }
}

/** The embedded bus → ingest → PGlite in this process (npm start without the full stack). */
async function embeddedRun(): Promise<void> {
  line('embedded: embedded bus (fsync per publish) → ingest → PGlite, in this process')
  let nextId = 50_000_000
  const result = await runEmbeddedPipeline({
    trades: TRADES,
    partitions: 3,
    batch: (n, topic) =>
      Array.from({ length: n }, () => {
        const id = nextId++
        const symbol = SYMBOLS[id % SYMBOLS.length] as string
        return { topic, key: symbol, value: trade(symbol, id, nowMicros()) }
      }),
    progress: n => line(`            … ${n} stored`)
  })
  line(
    `drain:      ${TRADES} trades stored in ${(result.drainMs / 1000).toFixed(1)} s; sustained ${Math.round(result.drainRate)} trades/s (10 %–90 %); ` +
      `CPU per trade ${result.drainCpuMicros.toFixed(1)} µs (one process: bus, ingest and PGlite)`
  )
  line(
    `concurrent: ${TRADES} trades published at full speed (${Math.round(result.publishRate)}/s) while stored; sustained ${Math.round(result.concurrentRate)} trades/s stored`
  )
}

if (RUNS.has('full')) await fullStackRun()
if (RUNS.has('embedded')) await embeddedRun()
