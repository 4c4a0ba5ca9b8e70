/**
 * The fault suite (`npm run test:faults`; CI runs it after `npm test`). On a private Kafka,
 * PostgreSQL and Redis (private-stack.ts), the real roles run as processes: one producer fed by
 * the fake Kraken at a steady rate, two ingest and two analytics instances (two consumer groups of
 * two members), and the API. Each fault is injected in turn while trades flow; the suite measures
 * the longest time nothing new was stored from the fault's start, and how long after the repair the
 * pipeline took to store what was sent before it; it lets the flow run on, pauses the exchange,
 * waits for the pipeline to drain and counts: every trade the exchange made stored exactly once,
 * candles equal to an independent computation. It prints a table of the faults survived and fails
 * on any row that is not clean. Nothing here asserts speed.
 *
 * A second run does the same on a private three-broker cluster (replication 3, min.insync.replicas
 * 2) with the cluster's own faults (cluster-faults.ts): a broker killed, a second one stopped.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { configFromEnv } from '../../src/config/config.ts'
import { silentLogger } from '../../src/log/logger.ts'
import type { DoctorReport } from '../../src/doctor/doctor.ts'
import { PostgresDatabase } from '../../src/store/postgres/postgres-database.ts'
import { clusterFaults } from './cluster-faults.ts'
import { type Fault, faults } from './faults.ts'
import { type Tally, progress, tally } from './ledger.ts'
import { PrivateStack, freePorts } from './private-stack.ts'
import { RoleProcess } from './role-process.ts'
import { SteadyExchange } from './steady-exchange.ts'

const RATE = Number(process.env.FAULT_TRADES_PER_SECOND ?? 300)
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 8_000)
const FLOW_MS = 4_000
const SYMBOLS = ['BTC/USD', 'ETH/USD', 'SOL/USD']

const hold = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now()
  for (;;) {
    if (await check().catch(() => false)) return (performance.now() - started) / 1000
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`)
    await hold(250)
  }
}

/**
 * The longest time the stored trades did not grow, from the fault's start until stopped: how long
 * the pipeline stood still (a broker's failover, an outage and its catch-up), where the recovery
 * column only starts at the repair. Sampled every 250 ms; a failed read counts as no growth.
 */
function stallWatch(database: PostgresDatabase): { stop(): Promise<number> } {
  let running = true
  const done = (async () => {
    let last = -1
    let since = performance.now()
    let longest = 0
    while (running) {
      const stored = await progress(database).then(
        p => p.stored,
        () => last
      )
      const now = performance.now()
      if (stored > last) {
        if (last >= 0) longest = Math.max(longest, now - since)
        last = stored
        since = now
      }
      await hold(250)
    }
    return Math.max(longest, performance.now() - since) / 1000
  })()
  return {
    async stop() {
      running = false
      return done
    }
  }
}

interface Row extends Tally {
  fault: string
  /** The longest time nothing new was stored, from the fault's start to the recovery. */
  stallSeconds: number
  recoverySeconds: number | undefined
  crashes: string[]
  /** What the doctor said while the fault lasted (cluster faults). */
  during?: string
}

function table(rows: readonly Row[]): string[] {
  const doctorColumn = rows.some(r => r.during !== undefined)
  const header = [
    'fault',
    'sent',
    'stored',
    'lost',
    'doubled',
    'candles ok',
    'longest stall (s)',
    'recovery (s)',
    'verdict'
  ]
  if (doctorColumn) header.push('doctor during the fault')
  const cells = rows.map(r => [
    r.fault,
    String(r.sent),
    String(r.stored),
    String(r.lost),
    String(r.doubled),
    r.candlesOk ? 'yes' : 'NO',
    r.stallSeconds.toFixed(1),
    r.recoverySeconds === undefined ? 'never' : r.recoverySeconds.toFixed(1),
    clean(r) ? 'survived' : 'FAILED',
    ...(doctorColumn ? [r.during ?? ''] : [])
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map(c => (c[i] ?? '').length)))
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)]
}

function clean(r: Row): boolean {
  return r.lost === 0 && r.doubled === 0 && r.unexpected === 0 && r.candlesOk && r.crashes.length === 0
}

interface SuiteRun {
  /** Kafka nodes of the private stack. */
  brokers: 1 | 3
  /** Variables every role and command gets besides the stack's addresses. */
  env: NodeJS.ProcessEnv
  faults(targets: {
    stack: PrivateStack
    exchange: SteadyExchange
    ingest: RoleProcess
    analytics: RoleProcess
    env: NodeJS.ProcessEnv
  }): (Fault & { during?: string })[]
  /** Where the table is written, under artifacts/. */
  artifact: string
}

async function runSuite(run: SuiteRun): Promise<void> {
  const stack = await PrivateStack.create({ brokers: run.brokers })
  const roles: RoleProcess[] = []
  let exchange: SteadyExchange | undefined
  let db: PostgresDatabase | undefined
  let keep = true
  try {
    process.stdout.write(
      `# private Kafka (${run.brokers} broker${run.brokers > 1 ? 's' : ''}), PostgreSQL and Redis in ${stack.dir}\n`
    )
    stack.infra('start')
    exchange = await SteadyExchange.start({ symbols: SYMBOLS, tradesPerSecond: RATE })
    const ports = await freePorts(7)
    const logDir = join(stack.dir, 'logs')
    mkdirSync(logDir, { recursive: true })
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      BUS: 'kafka',
      KAFKA_SERVERS: stack.kafkaServers,
      KAFKA_READY_TIMEOUT_MS: '300000',
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: stack.redisUrl,
      KRAKEN_WS_URL: exchange.server.wsUrl,
      KRAKEN_REST_URL: exchange.server.restUrl,
      SYMBOLS: SYMBOLS.join(','),
      KRAKEN_CHANNELS: 'trade',
      PRODUCER_SOURCES: 'kraken',
      KRAKEN_REST_MIN_INTERVAL_MS: '100',
      LAG_POLL_INTERVAL_MS: '2000',
      API_PORT: String(ports + 6),
      DATA_DIR: join(stack.dir, 'app-data'),
      ...run.env
    }
    for (const command of ['topics', 'migrate']) {
      const result = spawnSync(process.execPath, ['src/cli.ts', command], { env, encoding: 'utf8' })
      assert.equal(result.status, 0, `${command}: ${result.stderr}`)
    }
    const role = (name: string, kind: string, port: number): RoleProcess =>
      new RoleProcess({ name, role: kind, env, logDir, opsPort: port })
    const ingest = [role('ingest-1', 'ingest', ports), role('ingest-2', 'ingest', ports + 1)]
    const analytics = [
      role('analytics-1', 'analytics', ports + 2),
      role('analytics-2', 'analytics', ports + 3)
    ]
    roles.push(role('produce', 'produce', ports + 4), ...ingest, ...analytics, role('api', 'api', ports + 5))
    for (const r of roles) r.start()
    await Promise.all(roles.map(r => r.ready()))
    const live = exchange
    await until('the producer to subscribe', async () => live.subscribed(), 60_000)
    db = new PostgresDatabase({ url: stack.databaseUrl, log: silentLogger(), poolSize: 2 })
    const database = db
    exchange.resume()
    await until('the first trades stored', async () => (await progress(database)).stored > 0, 120_000)
    process.stdout.write(`# ${RATE} trades/s over ${SYMBOLS.join(', ')}; outages of ${OUTAGE_MS / 1000} s\n`)

    const rows: Row[] = []
    const targets = {
      stack,
      exchange,
      ingest: ingest[0] as RoleProcess,
      analytics: analytics[1] as RoleProcess,
      env
    }
    const planned = run.faults(targets)
    for (const fault of planned) {
      await hold(FLOW_MS)
      process.stdout.write(`# ${fault.name}…\n`)
      const stall = stallWatch(database)
      await fault.inject()
      await fault.repair()
      const sentAtRepair = live.sentCount()
      const recoverySeconds = await until(
        'the trades sent before the repair to be stored',
        async () => (await progress(database)).stored >= sentAtRepair,
        240_000
      ).catch(() => undefined)
      const stallSeconds = await stall.stop()
      await hold(FLOW_MS)
      live.pause()
      const sent = live.sentCount()
      await until(
        'the pipeline to drain',
        async () => {
          const p = await progress(database)
          return p.stored >= sent && p.inCandles >= sent
        },
        180_000
      ).catch(() => undefined)
      const row: Row = {
        fault: fault.name,
        ...(await tally(database, live.sent())),
        stallSeconds,
        recoverySeconds,
        crashes: roles.flatMap(r => r.unexpectedExits.splice(0)),
        ...(fault.during === undefined ? {} : { during: fault.during })
      }
      rows.push(row)
      process.stdout.write(
        `# ${clean(row) ? 'survived' : 'FAILED'}: ${row.sent} sent, ${row.stored} stored${row.problems.length > 0 ? `; ${row.problems.slice(0, 5).join('; ')}` : ''}${row.crashes.length > 0 ? `; ${row.crashes.join('; ')}` : ''}\n`
      )
      live.resume()
    }

    const printed = table(rows)
    process.stdout.write(
      `\nFaults survived (${RATE} trades/s, ${OUTAGE_MS / 1000} s outages):\n\n${printed.join('\n')}\n\n`
    )
    mkdirSync('artifacts', { recursive: true })
    writeFileSync(join('artifacts', run.artifact), `${printed.join('\n')}\n`)

    // The doctor, against the whole private stack after all that: every check passes.
    const doctor = spawnSync(
      process.execPath,
      ['src/cli.ts', 'doctor', '--json', '--api-url', `http://127.0.0.1:${ports + 6}`],
      { env: { ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' }
    )
    const report = JSON.parse(doctor.stdout) as DoctorReport
    process.stdout.write(`# doctor: ${report.results.map(r => `${r.check} ${r.verdict}`).join(', ')}\n`)

    for (const row of rows)
      assert.ok(clean(row), `${row.fault}: ${[...row.problems, ...row.crashes].slice(0, 10).join('; ')}`)
    assert.equal(rows.length, planned.length)
    for (const row of rows.filter(r => r.during !== undefined))
      assert.match(
        row.during ?? '',
        /missing.*(under-replicated|offline|below min\.insync)/,
        `${row.fault}: the doctor did not report the broker down`
      )
    assert.ok(report.ok, `doctor: ${JSON.stringify(report.results.filter(r => r.verdict === 'fail'))}`)
    keep = false
  } catch (error) {
    for (const r of roles) process.stdout.write(`\n--- ${r.name} (last lines) ---\n${r.logTail()}\n`)
    process.stdout.write(`\n# kept ${stack.dir} for inspection\n`)
    throw error
  } finally {
    await Promise.all(roles.map(r => r.stop()))
    await db?.close()
    await exchange?.close()
    stack.dispose(keep)
  }
}

test(
  'the pipeline survives Kafka, PostgreSQL, Redis, an ingest kill, an analytics rebalance and an exchange cut with nothing lost or doubled',
  { timeout: 1_200_000 },
  () =>
    runSuite({
      brokers: 1,
      env: {},
      faults: targets => faults({ ...targets, outageMs: OUTAGE_MS }),
      artifact: 'fault-table.md'
    })
)

test(
  'on a three-broker cluster the pipeline survives the leader of the busiest partitions killed and a second broker stopped, with nothing lost or doubled, and the doctor reports the broker down meanwhile',
  { timeout: 1_200_000 },
  () =>
    runSuite({
      brokers: 3,
      env: { TOPIC_REPLICATION_FACTOR: '3', TOPIC_MIN_INSYNC_REPLICAS: '2' },
      faults: ({ stack, env }) =>
        clusterFaults({ stack, config: configFromEnv({ ...env, LOG_LEVEL: 'silent' }), outageMs: OUTAGE_MS }),
      artifact: 'fault-table-cluster.md'
    })
)
