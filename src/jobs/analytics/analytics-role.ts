/**
 * The `analytics` role: one consumer group over trades, tickers and articles that maintains candles
 * (1m…1d, event time, late trades within ANALYTICS_LATENESS_MS), indicators, spreads, article
 * sentiment and the rolling sentiment index, and publishes alerts to the alert topic.
 *
 * Exactly-once effects (docs/jobs.md): state lives with the partitions; each batch commits its
 * outputs, per-symbol state and next offsets in one transaction; on assignment, or after a failed
 * batch, a partition's state is reloaded from the database and redelivered records below its
 * stored offset are skipped. So a crash, a restart or a rebalance can neither lose nor double-count
 * a trade, and two instances produce what one would.
 */
import { setFlagsFromString } from 'node:v8'
import type { ConsumedRecord, TopicPartition } from '../../bus/bus.ts'
import type { Config } from '../../config/config.ts'
import { busKind } from '../../bus/create-bus.ts'
import { describeError, isCryptoVizError } from '../../errors/errors.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import type { CheckResult } from '../../ops/health.ts'
import type { Role, RoleContext, RunningRole } from '../../role/role.ts'
import type { AlertV1 } from '../../schemas/alert.v1.ts'
import { alertCodec } from '../../schemas/alert.v1.ts'
import type { Database } from '../../store/database.ts'
import { BatchHealth } from '../batch-health.ts'
import { type JobTopics, jobTopics } from '../job-topics.ts'
import { LivePublisher } from '../live-publisher.ts'
import { candleEvents, impactEvents, indicatorEvents, sentimentEvents } from '../live-shapes.ts'
import { AlertGate, toAlert } from './alerts/alert-ids.ts'
import type { AlertDraft } from './alerts/rules.ts'
import { type AnalyticsMetrics, analyticsMetrics } from './analytics-metrics.ts'
import { commitBatch } from './commit-batch.ts'
import { processBatch } from './process-batch.ts'
import { type AnalyticsSettings, analyticsSettings } from './settings.ts'
import { AnalyticsState, type PartitionKind } from './state/partition-state.ts'
import { unsizedHeapWarning } from './workers/main-heap.ts'
import { mirrorWorkerMetrics } from './workers/thread-metrics.ts'
import { type ResourceLimits, WorkerPool } from './workers/worker-pool.ts'

export interface AnalyticsRoleOptions {
  /** Topics to read and to publish alerts to (defaults: the declared topics). */
  topics?: Partial<JobTopics>
  /** Consumer group (default: ANALYTICS_GROUP_ID). */
  groupId?: string
}

/** The name offsets and state are stored under: one analytics job per database. */
export const ANALYTICS_JOB = 'analytics'

function partitionsOf(batch: readonly ConsumedRecord[]): TopicPartition[] {
  const out: TopicPartition[] = []
  let last: TopicPartition | undefined
  // Records come in runs of one partition, and a batch holds a few partitions.
  for (const { topic, partition } of batch) {
    if (last?.partition === partition && last.topic === topic) continue
    last = out.find(p => p.partition === partition && p.topic === topic)
    if (last === undefined) {
      last = { topic, partition }
      out.push(last)
    }
  }
  return out
}

class AnalyticsJob {
  readonly #context: RoleContext
  readonly #db: Database
  readonly #topics: JobTopics
  readonly #settings: AnalyticsSettings
  readonly #state: AnalyticsState
  readonly #gate: AlertGate
  readonly #metrics: AnalyticsMetrics
  readonly #live: LivePublisher
  readonly health = new BatchHealth()

  constructor(context: RoleContext, db: Database, topics: JobTopics) {
    this.#context = context
    this.#db = db
    this.#topics = topics
    this.#settings = analyticsSettings(context.config.analytics, context.config.kraken.symbols)
    const kinds = new Map<string, PartitionKind>([
      [topics.trade, 'trade'],
      [topics.ticker, 'ticker'],
      [topics.article, 'article']
    ])
    this.#state = new AnalyticsState(ANALYTICS_JOB, this.#settings, topic => kinds.get(topic))
    this.#gate = new AlertGate(this.#settings.cooldownMicros)
    this.#metrics = analyticsMetrics(context.metrics)
    this.#live = new LivePublisher(context.live, this.#metrics.liveFailures, context.log)
  }

  get topicNames(): string[] {
    return [this.#topics.trade, this.#topics.ticker, this.#topics.article]
  }

  assigned(partitions: readonly TopicPartition[]): void {
    this.#state.assigned(partitions)
  }

  async handle(batch: readonly ConsumedRecord[]): Promise<void> {
    const started = performance.now()
    const partitions = partitionsOf(batch)
    try {
      const rebuildStarted = performance.now()
      const loaded = await this.#state.ensureLoaded(this.#db, partitions)
      if (loaded > 0) {
        this.#metrics.rebuilds.inc(loaded)
        this.#metrics.rebuildSeconds.observe((performance.now() - rebuildStarted) / 1000)
      }
      const work = processBatch(batch, this.#state, this.#settings)
      const result = await commitBatch(this.#db, work, {
        job: ANALYTICS_JOB,
        settings: this.#settings,
        toAlerts: drafts => this.#toAlerts(drafts),
        publishAlerts: alerts => this.#publishAlerts(alerts)
      })
      // Committed: the in-memory state is now what the database holds.
      for (const offset of work.offsets) {
        const state = this.#state.get(offset)
        if (state !== undefined) state.nextOffset = offset.nextOffset
      }
      for (const alert of result.alerts) this.#gate.remember(alert.id, Date.parse(alert.eventTs) * 1000)
      this.#account(work, result.alerts, batch.length, started)
      const storedAt = nowIsoMicros()
      this.#live.announce([
        ...candleEvents(work.candles, storedAt),
        ...indicatorEvents(work.indicators, storedAt),
        ...sentimentEvents(work.sentiment, result.sentimentPoints, storedAt),
        ...impactEvents(result.impact, storedAt)
      ])
    } catch (error) {
      // The in-memory state may be ahead of the database now: reload it before the retry.
      this.#state.invalidate(partitions)
      throw error
    }
  }

  #toAlerts(drafts: readonly AlertDraft[]): AlertV1[] {
    const raisedAt = nowIsoMicros()
    const alerts = new Map<string, AlertV1>()
    for (const draft of drafts) {
      const alert = toAlert(draft, this.#settings.cooldownMicros, raisedAt)
      if (!this.#gate.has(alert.id) && !alerts.has(alert.id)) alerts.set(alert.id, alert)
    }
    return [...alerts.values()]
  }

  async #publishAlerts(alerts: readonly AlertV1[]): Promise<void> {
    await this.#context.bus.publish(
      alerts.map(alert => ({ topic: this.#topics.alert, key: alert.symbol, value: alertCodec.encode(alert) }))
    )
    for (const alert of alerts) this.#metrics.alerts.inc({ rule: alert.rule })
  }

  #account(
    work: ReturnType<typeof processBatch>,
    alerts: readonly AlertV1[],
    size: number,
    started: number
  ): void {
    const m = this.#metrics
    for (const [topic, outcomes] of work.outcomes) {
      for (const [outcome, n] of outcomes) m.records.inc({ topic, outcome }, n)
    }
    m.rows.inc({ table: 'candles' }, work.candles.length)
    m.rows.inc({ table: 'indicators' }, work.indicators.length)
    m.rows.inc({ table: 'spreads' }, work.spreads.length)
    m.rows.inc({ table: 'article_sentiment' }, work.sentiment.length)
    m.batches.observe(size)
    m.batchSeconds.observe((performance.now() - started) / 1000)
    m.lastBatch.set(Date.now() / 1000)
    this.health.succeeded(size)
    if (alerts.length > 0) this.#context.log.info({ alerts: alerts.map(a => a.id) }, 'alerts raised')
  }

  failed(error: unknown, attempt: number, records: number): void {
    this.#metrics.failures.inc({ code: isCryptoVizError(error) ? error.code : 'unexpected' })
    this.health.failed(error, attempt, records)
  }
}

/**
 * The job on this thread: one member of the group. Its health is the role's check, or with worker
 * threads one part of it, handed to `healthPart`.
 */
async function startJob(
  context: RoleContext,
  options: AnalyticsRoleOptions,
  healthPart?: (check: () => CheckResult) => void
): Promise<RunningRole> {
  const { config, log } = context
  const db = await context.database()
  const job = new AnalyticsJob(context, db, jobTopics(options.topics))
  if (healthPart === undefined) context.health.register('analytics', () => job.health.check())
  else healthPart(() => job.health.check())
  const subscription = await context.bus.subscribe({
    groupId: options.groupId ?? config.analytics.groupId,
    topics: job.topicNames,
    maxBatchRecords: config.analytics.batchMaxRecords,
    maxBatchWaitMs: config.analytics.batchMaxWaitMs,
    retryBackoffMs: { min: 100, max: 10_000 },
    onAssigned: partitions => job.assigned(partitions),
    handler: batch => job.handle(batch),
    onHandlerError: (error, attempt, batch) => {
      job.failed(error, attempt, batch.length)
      const stale = isCryptoVizError(error, 'CV_ERR_STALE_PARTITION_STATE')
      if (stale) log.info({ reason: describeError(error) }, 'partition state was stale; reloaded')
      else if (attempt === 1 || attempt % 10 === 0) {
        log.warn(
          { err: describeError(error), attempt, records: batch.length },
          'analytics batch failed; retrying'
        )
      }
    }
  })
  log.info({ group: subscription.groupId, topics: job.topicNames }, 'analytics consuming')
  return {
    async stop() {
      await subscription.close()
      if (healthPart === undefined) context.health.unregister('analytics')
    }
  }
}

/** The heap limits the configuration sets for each worker thread (0: V8's own sizing). */
function workerLimits(analytics: Config['analytics']): ResourceLimits {
  return {
    ...(analytics.workerHeapMb > 0 ? { maxOldGenerationSizeMb: analytics.workerHeapMb } : {}),
    ...(analytics.workerYoungMb > 0 ? { maxYoungGenerationSizeMb: analytics.workerYoungMb } : {})
  }
}

/** The role's health with worker threads: down while the main thread's job or any worker is. */
function combinedHealth(main: CheckResult, workers: CheckResult): CheckResult {
  const status =
    main.status === 'down' || workers.status === 'down'
      ? 'down'
      : main.status === 'up' && workers.status === 'up'
        ? 'up'
        : 'degraded'
  return {
    status,
    detail: `main thread: ${main.detail ?? main.status}; ${workers.detail ?? workers.status}`,
    data: { main: { ...main }, ...workers.data }
  }
}

/**
 * The job as ANALYTICS_WORKERS members of the group in this process: the main thread, which has the
 * program, its clients and its pool loaded already, and ANALYTICS_WORKERS − 1 worker threads
 * (workers/worker-pool.ts). A thread is an isolate with its own heap and its own copy of the
 * program (≈ 70 MiB before its first record), so the main thread working saves one of them.
 */
async function startWorkers(
  context: RoleContext,
  options: AnalyticsRoleOptions,
  members: number
): Promise<RunningRole> {
  const { config, log } = context
  // V8 pretenures objects of allocation sites whose young objects mostly survive, allocating them
  // in old space from then on. Here that decision goes wrong: a fetched record lives through a
  // batch (long enough to survive a scavenge or two, which flags its site) but not much longer, so
  // pretenured records fill the old space with garbage and cost a full collection every few
  // hundred milliseconds under a heap limit. Without it they die young: ≈ 20 % less CPU per trade
  // at the same memory (bench/README.md). A process-wide flag, set before the workers' isolates exist.
  setFlagsFromString('--no-allocation-site-pretenuring')
  const unsized = unsizedHeapWarning(config.analytics)
  if (unsized !== undefined)
    log.warn(
      unsized,
      "the main thread is one of the analytics members but its heap is V8's default for this host: " +
        'start the process with the NODE_OPTIONS given in fix (`crypto-viz analytics` does so by itself)'
    )
  // The schema is migrated once, here, before the workers connect.
  await context.database()
  const groupId = options.groupId ?? config.analytics.groupId
  const pool = new WorkerPool({
    setups: Array.from({ length: members - 1 }, (_, i) => ({
      index: i + 1,
      config,
      topics: jobTopics(options.topics),
      groupId
    })),
    log,
    metrics: context.metrics,
    live: context.live,
    resourceLimits: workerLimits(config.analytics)
  })
  let mainCheck: () => CheckResult = () => ({ status: 'down', detail: 'starting' })
  context.health.register('analytics', () => combinedHealth(mainCheck(), pool.check()))
  // The main thread's job first: its metrics are in the registry before the workers' are mirrored
  // onto them (a mirrored metric is the sum of the workers' series and this thread's own).
  const main = await startJob(context, options, check => {
    mainCheck = check
  })
  try {
    await pool.start()
  } catch (error) {
    await main.stop()
    context.health.unregister('analytics')
    throw error
  }
  const unmirror = mirrorWorkerMetrics(context.metrics, await pool.collectMetrics(), () =>
    pool.collectMetrics()
  )
  log.info(
    { group: groupId, members, workerThreads: pool.size },
    'analytics consuming on the main thread and worker threads'
  )
  return {
    async stop() {
      await Promise.all([main.stop(), pool.stop()])
      unmirror()
      context.health.unregister('analytics')
    }
  }
}

export function createAnalyticsRole(options: AnalyticsRoleOptions = {}): Role {
  return {
    name: 'analytics',
    async start(context: RoleContext): Promise<RunningRole> {
      const workers = context.config.analytics.workers
      // Threads need the Kafka bus and PostgreSQL: the embedded log and PGlite live in this thread.
      const threaded =
        workers > 1 && busKind(context.config) === 'kafka' && (await context.database()).kind === 'postgres'
      if (workers > 1 && !threaded) {
        context.log.info({ workers }, 'embedded bus or database: analytics runs on one thread')
      }
      return threaded ? startWorkers(context, options, workers) : startJob(context, options)
    }
  }
}

/** The role with its configured defaults, for `crypto-viz analytics` and for running beside others. */
export const analyticsRole: Role = createAnalyticsRole()
