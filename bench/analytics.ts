/**
 * `npm run bench:analytics`: Kafka → analytics → PostgreSQL, a backlog drained by the real role.
 *
 * N synthetic trades (12 symbols, ids consecutive per symbol, event times increasing by 20 ms:
 * 1M trades span 5.6 h, 5M more than a day) are published to fresh 3-partition topics; then
 * `--instances` analytics processes (bench/analytics-child.ts, one consumer group new to the
 * topics, so it starts at the earliest offset) drain them into a fresh database: candles at every
 * interval, indicators, whale quantiles, job_state and job_offsets in one transaction per batch.
 * Nothing is applied until every instance holds partitions (a lock on job_offsets holds the first
 * batch while the group settles). Printed: trades/s over the wall time (processes' start → last
 * offset committed) and over the processing time (group settled → last offset committed), CPU per
 * trade (process.cpuUsage of the analytics processes over the processing time), peak resident
 * memory (sampled every 50 ms, and the kernel's VmHWM), V8's heap spaces, heap after a full GC, and
 * a check that the 1-minute candles count every trade.
 *
 * Flags: --trades N (300000; `--trades 1000000`, `--trades 5m` work), --instances K (1),
 * --workers W (ANALYTICS_WORKERS of each instance: partition workers on threads; default auto),
 * --batch N (ANALYTICS_BATCH_MAX_RECORDS, default the role's), --cpu-prof (profiles into
 * .cache/prof), --heap-snapshot (a snapshot per instance at the end, into .cache/prof),
 * --node-flag=--trace-gc (any Node flag for the analytics processes; repeatable).
 * Needs the local Kafka and PostgreSQL (scripts/infra.sh start). The topics are deleted afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { Admin } from '@platformatic/kafka'
import pg from 'pg'
import { KafkaBus } from '../src/bus/kafka/kafka-bus.ts'
import { microsToIso } from '../src/lib/event-time.ts'
import { silentLogger } from '../src/log/logger.ts'
import { createTestDatabase } from '../test/helpers/db.ts'
import { createJobTopics, groupAssignment, testKafka } from '../test/helpers/kafka.ts'
import { uniqueName } from '../test/helpers/names.ts'

const { values: flags } = parseArgs({
  options: {
    trades: { type: 'string', default: '300000' },
    instances: { type: 'string', default: '1' },
    workers: { type: 'string', default: 'auto' },
    batch: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
    'node-flag': { type: 'string', multiple: true, default: [] }
  }
})
const count = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.replaceAll('_', ''))
  if (m === null) throw new Error(`not a count: ${text}`)
  const unit = { '': 1, k: 1e3, m: 1e6 }[(m[2] ?? '').toLowerCase()] ?? 1
  return Math.round(Number(m[1]) * unit)
}
const TRADES = count(flags.trades)
const INSTANCES = count(flags.instances)
// `auto` as the role reads it: one per core, at most one per partition (3 here).
const WORKERS = flags.workers === 'auto' ? Math.min(availableParallelism(), 3) : count(flags.workers)
const SYMBOLS = Array.from({ length: 12 }, (_, i) => `B${String(i).padStart(2, '0')}/USD`)
const START_MICROS = Date.UTC(2026, 0, 5) * 1000
const STEP_MICROS = 20_000
const PROFILE_DIR = '.cache/prof'

const line = (text: string): void => void process.stdout.write(`${text}\n`)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`
const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`

/** The k-th trade of the run: symbol k mod 12, the symbol's next id. */
function trade(k: number): { key: string; value: string } {
  const symbol = SYMBOLS[k % SYMBOLS.length] as string
  const id = 1_000_000 + Math.floor(k / SYMBOLS.length)
  const ts = microsToIso(START_MICROS + k * STEP_MICROS)
  const received = microsToIso(START_MICROS + k * STEP_MICROS + 4_000)
  // A price around 2,000 wandering by up to ±1 %, and sizes skewed small (r³ · 50 units), so the
  // whale rule fires on its quantile (about one trade in a thousand), not on the fixed floor.
  const tenths = 20_000 + (((id * 7919) % 401) - 200)
  const r = ((id * 2_654_435_761) % 4_294_967_296) / 4_294_967_296
  const qty = Math.max(1, Math.floor(r ** 3 * 5e9))
  const value = JSON.stringify({
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId: id,
    price: `${Math.floor(tenths / 10)}.${tenths % 10}0000`,
    qty: `${Math.floor(qty / 1e8)}.${String(qty % 1e8).padStart(8, '0')}`,
    side: id % 2 === 0 ? 'buy' : 'sell',
    ordType: id % 3 === 0 ? 'market' : 'limit',
    exchangeTs: ts,
    receivedAt: received,
    source: 'ws'
  })
  return { key: symbol, value }
}

interface Report {
  cpuMicros: number
  peakRss: number
  peakHeap: number
  kernelPeakRss: number
  rss: number
  heapUsed: number
  heapTotal: number
  external: number
  /** V8's heap spaces (MiB) and its heap limit (bytes). */
  spaces: Record<string, number>
  heapLimit: number
  heapAfterGc: number | null
  rssAfterGc: number | null
}

class Instance {
  readonly child: ChildProcess
  readonly #waiting = new Map<string, (message: Record<string, unknown>) => void>()

  constructor(env: Record<string, string>, nodeFlags: string[]) {
    this.child = spawn(process.execPath, [...nodeFlags, 'bench/analytics-child.ts'], {
      env: { ...process.env, ...env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    this.child.on('message', (message: Record<string, unknown>) => {
      const type = String(message.type)
      this.#waiting.get(type)?.(message)
      this.#waiting.delete(type)
    })
  }

  next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.#waiting.set(type, resolve)
      this.child.once('exit', code => reject(new Error(`analytics exited with ${code} before '${type}'`)))
    })
  }

  async ask(type: string, reply: string, extra: Record<string, unknown> = {}) {
    const answer = this.next(reply)
    this.child.send({ type, ...extra })
    return answer
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise(resolve => this.child.once('exit', resolve))
    this.child.kill('SIGTERM')
    await exited
  }
}

const database = await createTestDatabase()
const bus = new KafkaBus(testKafka, silentLogger())
const topics = await createJobTopics(3)
const instances: Instance[] = []

async function applied(): Promise<number> {
  const { rows } = await database.db.query<{ n: string }>(
    'select coalesce(sum(next_offset), 0)::text as n from job_offsets where topic = $1',
    [topics.trade]
  )
  return Number(rows[0]?.n ?? 0)
}

async function publish(): Promise<number> {
  const started = performance.now()
  const inFlight = new Set<Promise<void>>()
  const chunk = 5_000
  for (let k = 0; k < TRADES; k += chunk) {
    const records = []
    for (let j = k; j < Math.min(TRADES, k + chunk); j++) records.push({ topic: topics.trade, ...trade(j) })
    const sending: Promise<void> = bus.publish(records).finally(() => inFlight.delete(sending))
    inFlight.add(sending)
    if (inFlight.size >= 4) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  return performance.now() - started
}

try {
  line(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}; load average ${loadavg()
        .map(l => l.toFixed(1))
        .join(' ')} before the run`
  )
  line('shared machine: Kafka, PostgreSQL and the analytics process(es) all run on these cores')
  const publishMs = await publish()
  line(`publish:   ${TRADES.toLocaleString('en')} trades into Kafka in ${(publishMs / 1000).toFixed(1)} s`)

  // The main thread is one of the members: its heap sized as a worker's, the flags `crypto-viz
  // analytics` gives itself (workers/main-heap.ts); a --node-flag of the same name comes later and wins.
  const heapMb = Number(process.env.ANALYTICS_WORKER_HEAP_MB ?? 1024)
  const youngMb = Number(process.env.ANALYTICS_WORKER_YOUNG_MB ?? 48)
  const sizing =
    heapMb > 0
      ? [`--max-old-space-size=${heapMb}`, `--max-semi-space-size=${Math.max(1, Math.round(youngMb / 3))}`]
      : []
  const nodeFlags = ['--expose-gc', ...sizing, ...flags['node-flag']]
  if (flags['cpu-prof']) {
    mkdirSync(PROFILE_DIR, { recursive: true })
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`)
  }
  const groupId = uniqueName('bench-analytics')
  const env: Record<string, string> = {
    TOPICS: JSON.stringify(topics),
    GROUP_ID: groupId,
    DATABASE_URL: database.url,
    ANALYTICS_WORKERS: String(WORKERS)
  }
  if (flags.batch !== undefined) env.ANALYTICS_BATCH_MAX_RECORDS = flags.batch
  // Nothing is applied until every instance holds its partitions: the first member to join would
  // otherwise take them all and start alone. A share lock on job_offsets stops the first batch
  // (it registers its partitions there) and lets the group settle.
  const hold = new pg.Client({ connectionString: database.url })
  await hold.connect()
  await hold.query('begin')
  await hold.query('lock table job_offsets in share mode')
  const wallStart = performance.now()
  for (let i = 0; i < INSTANCES; i++) instances.push(new Instance(env, nodeFlags))
  await Promise.all(instances.map(instance => instance.next('started')))
  for (let attempt = 0; ; attempt++) {
    const members = [...(await groupAssignment(groupId)).values()]
    if (members.length === INSTANCES * WORKERS && members.every(partitions => partitions.length > 0)) break
    if (attempt === 300) throw new Error(`the group did not settle with ${INSTANCES * WORKERS} members`)
    await sleep(200)
  }
  const marks = await Promise.all(instances.map(instance => instance.ask('mark', 'marked')))
  line(
    `started:   ${instances.length} instance(s) × ${WORKERS} worker(s) in the group, RSS ${marks.map(m => mib(Number(m.rss))).join(', ')} before the first record`
  )
  const released = performance.now()
  await hold.query('commit')
  await hold.end()

  let done = 0
  let lastReport = performance.now()
  // Peak resident memory per million trades applied: flat in N is what a long-running job needs.
  const millions: number[][] = []
  while (done < TRADES) {
    const dead = instances.findIndex(i => i.child.exitCode !== null || i.child.signalCode !== null)
    if (dead >= 0) {
      const { exitCode, signalCode } = (instances[dead] as Instance).child
      throw new Error(
        `analytics #${dead + 1} exited (${signalCode ?? `code ${exitCode}`}) after ${done.toLocaleString('en')} trades were applied`
      )
    }
    done = await applied()
    const now = performance.now()
    if (now - lastReport > 10_000) {
      line(`           … ${done.toLocaleString('en')} applied`)
      lastReport = now
    }
    if (TRADES >= 2_000_000 && done >= (millions.length + 1) * 1_000_000) {
      const samples = await Promise.all(instances.map(i => i.ask('sample', 'sample')))
      millions.push(samples.map(s => Number(s.peakRss)))
    }
    if (done < TRADES) await sleep(20)
  }
  const end = performance.now()
  const reports = (await Promise.all(instances.map(i => i.ask('report', 'report')))) as unknown as Report[]
  const cpuMicros = reports.reduce((sum, r) => sum + r.cpuMicros, 0)
  const wallMs = end - wallStart
  const processingMs = end - released
  line(
    `drain:     ${INSTANCES} instance(s) × ${WORKERS} worker(s): wall ${(wallMs / 1000).toFixed(1)} s (${rate(TRADES, wallMs)}; from the ` +
      `processes' start), processing ${(processingMs / 1000).toFixed(1)} s (${rate(TRADES, processingMs)}; from the group settled)`
  )
  line(
    `cpu:       ${(cpuMicros / TRADES).toFixed(2)} µs per trade in analytics ` +
      `(${(cpuMicros / 1e6).toFixed(1)} s; ${(cpuMicros / 1000 / processingMs).toFixed(2)} cores busy while processing)`
  )
  reports.forEach((r, i) =>
    line(
      `memory #${i + 1}: peak RSS ${mib(r.peakRss)} (kernel VmHWM ${mib(r.kernelPeakRss)}), peak heap ${mib(r.peakHeap)}; ` +
        `at the end RSS ${mib(r.rss)}, heap ${mib(r.heapUsed)} of ${mib(r.heapTotal)}, external ${mib(r.external)}` +
        (r.heapAfterGc === null ? '' : `, heap after GC ${mib(r.heapAfterGc)}`) +
        `; V8 new space ${r.spaces.new_space ?? '?'} MiB, old space ${r.spaces.old_space ?? '?'} MiB ` +
        `(heap limit ${mib(r.heapLimit)})`
    )
  )
  if (millions.length > 0)
    line(
      `memory by trades applied (peak RSS within each million): ` +
        millions.map((peaks, m) => `${m + 1}M ${peaks.map(mib).join(' + ')}`).join(', ')
    )
  const { rows } = await database.db.query<{ interval: string; trades: string; candles: string }>(
    `select interval, sum(trades)::text as trades, count(*)::text as candles from candles group by 1 order by 1`
  )
  const counted = rows.map(r => `${r.interval} ${Number(r.candles).toLocaleString('en')}`).join(', ')
  const oneMinute = Number(rows.find(r => r.interval === '1m')?.trades ?? 0)
  line(
    `candles:   ${counted}; 1m candles count ${oneMinute.toLocaleString('en')} trades ` +
      `(${oneMinute === TRADES ? 'all of them' : `EXPECTED ${TRADES}`})`
  )
  if (flags['heap-snapshot']) {
    mkdirSync(PROFILE_DIR, { recursive: true })
    for (const [i, instance] of instances.entries()) {
      const answer = await instance.ask('snapshot', 'snapshot', {
        path: `${PROFILE_DIR}/analytics-${TRADES}-${i + 1}-${Date.now()}.heapsnapshot`
      })
      line(`snapshot:  ${String(answer.path)}`)
    }
  }
} finally {
  await Promise.all(instances.map(i => i.stop()))
  await bus.close()
  await database.drop()
  const admin = new Admin({ clientId: 'crypto-viz-bench-admin', bootstrapBrokers: [...testKafka.servers] })
  await admin
    .deleteTopics({ topics: Object.values(topics) })
    .catch(() => undefined)
    .finally(() => admin.close())
}
