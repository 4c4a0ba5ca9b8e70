/** What every route file receives: settings, the (observed) database, cached reads and the live parts. */
import type { Registry } from 'prom-client'
import type { Config } from '../../config/config.ts'
import type { Health } from '../../ops/health.ts'
import type { Queryable } from '../../store/database.ts'
import type { CachedReads } from '../cached-reads.ts'
import type { Cursors } from '../cursor.ts'
import type { LiveHub } from '../live/live-hub.ts'
import type { PipelineStatus } from '../pipeline/pipeline-status.ts'

export type ApiSettings = Config['api']

export interface RouteContext {
  settings: ApiSettings
  /** The database, with every outcome reported to the readiness probe. */
  db: Queryable
  reads: CachedReads
  /** Signs and checks page cursors. */
  cursors: Cursors
  pipeline: PipelineStatus
  hub: LiveHub
  health: Health
  metrics: Registry
}

export const JSON_TYPE = 'application/json; charset=utf-8'
