/**
 * A role is one stage of the pipeline run as a long-lived service (produce, ingest, analytics, api).
 * Roles get everything they share from the runtime (bus, health, metrics) and give back a handle to
 * stop them; the same role runs alone in its own process or beside the others in one process.
 */
import type { Registry } from 'prom-client'
import type { Bus } from '../bus/bus.ts'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log/logger.ts'
import type { Health } from '../ops/health.ts'
import type { LiveEvents } from '../live-events/live-events.ts'
import type { Database } from '../store/database.ts'

export interface RoleContext {
  config: Config
  log: Logger
  bus: Bus
  health: Health
  metrics: Registry
  /**
   * The process's shared database, opened (and migrated) on first use: roles that never call it
   * (producers) never connect. Closed by the runtime after every role stopped.
   */
  database(): Promise<Database>
  /** The process's shared live-events channel (Redis pub/sub in the full stack), created on first use. */
  live(): LiveEvents
  /** Aborted when the process is asked to stop. */
  signal: AbortSignal
}

export interface RunningRole {
  /** Stops taking new work, finishes (and commits) what is in flight, releases resources. */
  stop(): Promise<void>
}

export interface Role {
  name: string
  start(context: RoleContext): Promise<RunningRole>
}
