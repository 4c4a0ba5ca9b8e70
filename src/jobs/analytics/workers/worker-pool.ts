/**
 * The worker threads of one analytics process (ANALYTICS_WORKERS > 1: the main thread is one member
 * of the consumer group, these are the other ANALYTICS_WORKERS − 1), each a member with its own
 * state and database connections (partition-worker.ts), so one process uses N cores the way N
 * processes would, and a batch's effects and offsets stay committed together in the thread that
 * owns its partitions.
 *
 * The main thread also supervises: it forwards the workers' live events to the process's channel, keeps
 * each worker's last health (the role is down while any worker is), and answers metric scrapes with
 * the workers' metrics summed (thread-metrics.ts). A worker that cannot start fails the role's start
 * with its reason. A worker that dies later (an uncaught error, out of memory) is logged with its
 * reason and counted, and the role's health is down from then on, so readiness tells the process's
 * supervisor to restart it; meanwhile the group gives the dead member's partitions to the other
 * members, which reload their state from the database as after any rebalance, so nothing stalls and
 * nothing is lost. Stopping asks every worker to finish and commit its batch in flight, and waits
 * for all of them.
 */
import { Worker } from 'node:worker_threads'
import { CryptoVizError, ErrorCodes, describeError } from '../../../errors/errors.ts'
import type { Logger } from '../../../log/logger.ts'
import type { CheckResult } from '../../../ops/health.ts'
import { Counter, type Registry } from '../../../ops/metrics.ts'
import type { LiveEvents } from '../../../live-events/live-events.ts'
import type { FromWorker, MetricsSnapshot, ToWorker, WorkerSetup } from './worker-messages.ts'

const ENTRY = new URL('./partition-worker.ts', import.meta.url)
/** A worker asked to stop that has not stopped by then is terminated (its batch is redelivered). */
const STOP_DEADLINE_MS = 60_000

export interface WorkerPoolOptions {
  setups: readonly WorkerSetup[]
  log: Logger
  metrics: Registry
  live: () => LiveEvents
  /** The worker's program; replaceable for tests of the supervision (default partition-worker.ts). */
  entry?: URL
  /** Heap limits of each worker (documented in docs/jobs.md). */
  resourceLimits?: ResourceLimits
}

export interface ResourceLimits {
  maxYoungGenerationSizeMb?: number
  maxOldGenerationSizeMb?: number
}

/** The pool's own metrics (docs/metrics.md); the workers' are summed in by thread-metrics.ts. */
export function workerPoolMetrics(registry: Registry): { deaths: Counter } {
  return {
    deaths: new Counter({
      name: 'cryptoviz_analytics_worker_deaths_total',
      help: 'Analytics partition workers (threads) that died while running; the role is down after one.',
      registers: [registry]
    })
  }
}

class Slot {
  worker: Worker | undefined
  health: CheckResult = { status: 'down', detail: 'starting' }
  readonly pendingMetrics = new Map<number, (snapshot: MetricsSnapshot) => void>()
  readonly setup: WorkerSetup
  constructor(setup: WorkerSetup) {
    this.setup = setup
  }
}

export class WorkerPool {
  readonly #options: WorkerPoolOptions
  readonly #slots: Slot[]
  readonly #deaths: Counter
  #stopping = false
  #nextMetricsId = 0

  constructor(options: WorkerPoolOptions) {
    this.#options = options
    this.#slots = options.setups.map(setup => new Slot(setup))
    this.#deaths = workerPoolMetrics(options.metrics).deaths
  }

  get size(): number {
    return this.#slots.length
  }

  /** Starts every worker; rejects (after stopping those that started) if one cannot start. */
  async start(): Promise<void> {
    const started = await Promise.allSettled(this.#slots.map(slot => this.#spawn(slot)))
    const failed = started.find(r => r.status === 'rejected')
    if (failed !== undefined) {
      await this.stop()
      throw failed.reason
    }
  }

  /** Down while any worker is down (dead, restarting or failing its batches), with every worker's word. */
  check(): CheckResult {
    const down = this.#slots.filter(s => s.health.status === 'down')
    const worst =
      down.length > 0 ? 'down' : this.#slots.some(s => s.health.status !== 'up') ? 'degraded' : 'up'
    return {
      status: worst,
      detail: this.#slots
        .map(s => `worker ${s.setup.index}: ${s.health.detail ?? s.health.status}`)
        .join('; '),
      data: { workers: this.#slots.map(s => ({ worker: s.setup.index, ...s.health })) }
    }
  }

  /** Every running worker's metrics (a dead one has none to give). */
  async collectMetrics(): Promise<MetricsSnapshot[]> {
    const asked = this.#slots.flatMap(slot => {
      const worker = slot.worker
      if (worker === undefined) return []
      const id = this.#nextMetricsId++
      return [
        new Promise<MetricsSnapshot>(resolve => {
          slot.pendingMetrics.set(id, resolve)
          worker.postMessage({ type: 'metrics', id } satisfies ToWorker)
        })
      ]
    })
    return Promise.all(asked)
  }

  async stop(): Promise<void> {
    this.#stopping = true
    await Promise.all(this.#slots.map(slot => this.#stopSlot(slot)))
  }

  #spawn(slot: Slot): Promise<void> {
    const { log } = this.#options
    const worker = new Worker(this.#options.entry ?? ENTRY, {
      workerData: slot.setup,
      ...(this.#options.resourceLimits === undefined ? {} : { resourceLimits: this.#options.resourceLimits })
    })
    slot.worker = worker
    slot.health = { status: 'down', detail: 'starting' }
    let lastError: unknown
    return new Promise<void>((resolve, reject) => {
      let started = false
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'started') {
          started = true
          log.info({ worker: slot.setup.index, threadId: worker.threadId }, 'analytics worker started')
          resolve()
        } else if (message.type === 'health') {
          slot.health = message.check
        } else if (message.type === 'live') {
          this.#options
            .live()
            .publish(message.events)
            .catch((error: unknown) => log.warn({ err: describeError(error) }, 'live events not published'))
        } else if (message.type === 'metrics') {
          slot.pendingMetrics.get(message.id)?.(message.metrics)
          slot.pendingMetrics.delete(message.id)
        }
      })
      worker.on('error', error => {
        lastError = error
      })
      worker.on('exit', code => {
        slot.worker = undefined
        // A scrape waiting on this worker gets nothing from it rather than waiting for ever.
        for (const resolvePending of slot.pendingMetrics.values()) resolvePending([])
        slot.pendingMetrics.clear()
        const reason =
          lastError === undefined ? `exited with code ${code}` : `died: ${describeError(lastError)}`
        if (!started) {
          reject(
            new CryptoVizError(
              ErrorCodes.ANALYTICS_WORKER_FAILED,
              `analytics worker ${slot.setup.index} did not start: it ${reason} ` +
                '(out of memory: raise ANALYTICS_WORKER_HEAP_MB; ANALYTICS_WORKERS=1 runs the job on the main thread)',
              { cause: lastError, fatal: true }
            )
          )
          return
        }
        if (this.#stopping) {
          if (lastError !== undefined)
            this.#options.log.error(
              { worker: slot.setup.index, reason },
              'analytics worker failed while stopping'
            )
          return
        }
        this.#died(slot, reason)
      })
    })
  }

  #died(slot: Slot, reason: string): void {
    this.#deaths.inc()
    slot.health = {
      status: 'down',
      detail: `${reason}; its partitions went to the other workers; restart the process`
    }
    this.#options.log.error(
      { worker: slot.setup.index, reason },
      'analytics worker died; its partitions go to the other members of the group'
    )
  }

  async #stopSlot(slot: Slot): Promise<void> {
    const worker = slot.worker
    if (worker === undefined) return
    const exited = new Promise<void>(resolve => worker.once('exit', () => resolve()))
    const deadline = setTimeout(() => {
      this.#options.log.error(
        { worker: slot.setup.index },
        'analytics worker did not stop in time; terminating it'
      )
      void worker.terminate()
    }, STOP_DEADLINE_MS)
    worker.postMessage({ type: 'stop' } satisfies ToWorker)
    await exited
    clearTimeout(deadline)
  }
}
