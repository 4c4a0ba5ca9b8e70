/**
 * bench:pipeline's embedded run: the embedded bus → ingest → PGlite, all in this process, as
 * `npm start` runs them without KAFKA_SERVERS and DATABASE_URL. The same two throughput phases as the
 * full-stack run: a backlog published first and then drained (the pipeline's own capacity), and a
 * second batch published at full speed while ingest stores. Progress is read from the group's
 * committed offsets (committed only after the rows are durable), not from the database, whose single
 * connection a count would take from ingest.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import type { BusRecord } from '../src/bus/bus.ts'
import { EmbeddedBus } from '../src/bus/embedded/embedded-bus.ts'
import { declaredTopics } from '../src/schemas/topics.ts'
import { configFromEnv } from '../src/config/config.ts'
import { createIngestRole } from '../src/jobs/ingest/ingest-role.ts'
import { defaultJobTopics } from '../src/jobs/job-topics.ts'
import { MemoryLiveEvents } from '../src/live-events/memory-live-events.ts'
import { silentLogger } from '../src/log/logger.ts'
import { Health } from '../src/ops/health.ts'
import { migrate } from '../src/store/migrator.ts'
import { PgliteDatabase } from '../src/store/pglite/pglite-database.ts'

export interface EmbeddedPipelineResult {
  /** Rows committed per second between 10 % and 90 % of the drain. */
  drainRate: number
  drainMs: number
  /** CPU time of this process per stored trade during the drain (publisher idle by then), µs. */
  drainCpuMicros: number
  concurrentRate: number
  publishRate: number
}

const GROUP = 'bench-embedded-ingest'
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export async function runEmbeddedPipeline(options: {
  trades: number
  partitions: number
  batch: (n: number, topic: string) => BusRecord[]
  progress: (stored: number) => void
}): Promise<EmbeddedPipelineResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cv-bench-embedded-'))
  const log = silentLogger()
  const topic = defaultJobTopics.trade
  const config = configFromEnv({
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    INGEST_BATCH_MAX_RECORDS: process.env.INGEST_BATCH_MAX_RECORDS ?? '5000',
    INGEST_BATCH_MAX_WAIT_MS: process.env.INGEST_BATCH_MAX_WAIT_MS ?? '50',
    INGEST_LIVE_TRADES_PER_SYMBOL: '0'
  })
  // Every topic ingest reads, with the partitions asked for; fsync on every publish, as npm start does.
  const bus = await EmbeddedBus.open({
    dir: join(dir, 'bus'),
    topics: declaredTopics(config.topics).map(({ name, retentionMs }) => ({
      name,
      partitions: options.partitions,
      retentionMs
    })),
    log
  })
  const db = await PgliteDatabase.open(join(dir, 'pg'))
  await migrate(db)
  const live = new MemoryLiveEvents()
  const controller = new AbortController()
  const committed = async (): Promise<number> => {
    const offsets = (await bus.inspector.groupOffsets(GROUP, [topic])) ?? []
    return offsets.reduce((sum, p) => sum + Number((p.committed ?? p.start) - p.start), 0)
  }
  const storedRate = async (base: number, target: number) => {
    const samples: { t: number; n: number }[] = []
    const started = performance.now()
    while (samples.at(-1)?.n !== target) {
      samples.push({ t: performance.now(), n: (await committed()) - base })
      if (samples.length % 50 === 0) options.progress(samples.at(-1)?.n ?? 0)
      await sleep(100)
    }
    const at = (f: number) => samples.find(x => x.n >= target * f) ?? { t: NaN, n: NaN }
    const [from, to] = [at(0.1), at(0.9)]
    return { rate: ((to.n - from.n) / (to.t - from.t)) * 1000, ms: performance.now() - started }
  }
  const publish = async (records: readonly BusRecord[]): Promise<number> => {
    const started = performance.now()
    for (let i = 0; i < records.length; i += 5_000) await bus.publish(records.slice(i, i + 5_000))
    return performance.now() - started
  }
  let running: { stop(): Promise<void> } | undefined
  try {
    await publish(options.batch(options.trades, topic))
    const cpuBefore = process.cpuUsage()
    running = await createIngestRole({ groupId: GROUP }).start({
      config,
      log,
      bus,
      health: new Health(),
      metrics: new Registry(),
      database: async () => db,
      live: () => live,
      signal: controller.signal
    })
    const drain = await storedRate(0, options.trades)
    const cpu = process.cpuUsage(cpuBefore)
    const concurrentBatch = options.batch(options.trades, topic)
    const storing = storedRate(options.trades, options.trades)
    const publishMs = await publish(concurrentBatch)
    const concurrent = await storing
    return {
      drainRate: drain.rate,
      drainMs: drain.ms,
      drainCpuMicros: (cpu.user + cpu.system) / options.trades,
      concurrentRate: concurrent.rate,
      publishRate: (options.trades / publishMs) * 1000
    }
  } finally {
    controller.abort()
    await running?.stop()
    await bus.close()
    await live.close()
    await db.close()
    await rm(dir, { recursive: true, force: true })
  }
}
