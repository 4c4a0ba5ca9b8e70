/**
 * One partition worker of an analytics process (a worker thread, started by worker-pool.ts). It runs
 * the single-threaded analytics role as a full member of the consumer group, with its own Kafka
 * client, database pool, state and metrics, so a batch's outputs, state and offsets are committed
 * together exactly as in a process of its own. What the process shares goes through the main
 * thread: live events (one channel per process), health and metrics (aggregated there).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { Registry } from 'prom-client'
import { InstrumentedBus } from '../../../bus/instrumented-bus.ts'
import { KafkaBus } from '../../../bus/kafka/kafka-bus.ts'
import { kafkaConnection } from '../../../bus/kafka/kafka-options.ts'
import type { LiveEvent, LiveEvents } from '../../../live-events/live-events.ts'
import { createLogger } from '../../../log/logger.ts'
import { Health } from '../../../ops/health.ts'
import { InstrumentedDatabase } from '../../../store/instrumented-database.ts'
import { PostgresDatabase } from '../../../store/postgres/postgres-database.ts'
import { createAnalyticsRole } from '../analytics-role.ts'
import type { FromWorker, ToWorker, WorkerSetup } from './worker-messages.ts'

/** How often the worker tells the main thread its health (the main thread's checks are synchronous). */
const HEALTH_INTERVAL_MS = 1_000

if (parentPort === null) throw new Error('partition-worker.ts runs as a worker thread of the analytics role')
const port = parentPort
const tell = (message: FromWorker): void => port.postMessage(message)
const setup = workerData as WorkerSetup
// Inside the worker the role is single-threaded: this thread is one of the process's workers.
const config = { ...setup.config, analytics: { ...setup.config.analytics, workers: 1 } }
const log = createLogger(config, 'analytics').child({ worker: setup.index })
const metrics = new Registry()
const bus = new InstrumentedBus(new KafkaBus(kafkaConnection(config), log), metrics, {
  lagPollIntervalMs: config.ops.lagPollIntervalMs,
  log
})
const db = new InstrumentedDatabase(
  new PostgresDatabase({
    url: config.database.url,
    poolSize: config.database.poolSize,
    applicationName: `crypto-viz-analytics-${setup.index}`,
    log
  }),
  metrics
)
const live: LiveEvents = {
  async publish(events: readonly LiveEvent[]) {
    tell({ type: 'live', events: [...events] })
  },
  subscribe() {
    throw new Error('a partition worker only announces live events; the main thread listens')
  },
  async close() {}
}
const health = new Health()
const controller = new AbortController()
const running = await createAnalyticsRole({ topics: setup.topics, groupId: setup.groupId }).start({
  config,
  log,
  bus,
  health,
  metrics,
  database: async () => db,
  live: () => live,
  signal: controller.signal
})
const reportHealth = (): void => {
  const check = health.report().checks.analytics
  if (check === undefined) return
  const { critical: _critical, ...result } = check
  tell({ type: 'health', check: result })
}
const healthTimer = setInterval(reportHealth, HEALTH_INTERVAL_MS)
port.on('message', (message: ToWorker) => {
  if (message.type === 'metrics') {
    void metrics
      .getMetricsAsJSON()
      .then(snapshot => tell({ type: 'metrics', id: message.id, metrics: snapshot }))
  } else if (message.type === 'stop') {
    clearInterval(healthTimer)
    controller.abort()
    void (async () => {
      // Stopping finishes and commits the batch in flight; a failure here is the worker's last word.
      try {
        await running.stop()
      } finally {
        await bus.close()
        await db.close()
      }
      port.close()
    })()
  }
})
reportHealth()
tell({ type: 'started' })
