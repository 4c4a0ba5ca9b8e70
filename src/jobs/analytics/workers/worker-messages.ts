/**
 * What an analytics process's main thread and its partition workers (worker threads) say to each
 * other. Plain data only: every message crosses the thread boundary by structured clone.
 */
import type { MetricObjectWithValues, MetricValue } from 'prom-client'
import type { Config } from '../../../config/config.ts'
import type { LiveEvent } from '../../../live-events/live-events.ts'
import type { CheckResult } from '../../../ops/health.ts'
import type { JobTopics } from '../../job-topics.ts'

/** Given to each worker at its start (workerData). */
export interface WorkerSetup {
  /** 1-based, for logs and health. */
  index: number
  config: Config
  topics: JobTopics
  groupId: string
}

/** One metric as a registry's getMetricsAsJSON() gives it (its typings add a `collect` it lacks). */
export type MetricJson = Omit<MetricObjectWithValues<MetricValue<string>>, 'collect'>
export type MetricsSnapshot = MetricJson[]

export type ToWorker = { type: 'metrics'; id: number } | { type: 'stop' }

export type FromWorker =
  | { type: 'started' }
  | { type: 'health'; check: CheckResult }
  | { type: 'live'; events: LiveEvent[] }
  | { type: 'metrics'; id: number; metrics: MetricsSnapshot }
