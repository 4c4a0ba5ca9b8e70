/**
 * Whether the TimescaleDB layer can run on this server, and what TIMESCALE asks for when it cannot:
 * the server's answers are read once (readTimescaleSupport), the decision is pure (planTimescale).
 *
 * "Available" is not enough: the extension's library must also be loaded at server start
 * (shared_preload_libraries), otherwise `create extension timescaledb` ends the connection with
 * "extension "timescaledb" must be preloaded".
 */
import type { Queryable } from '../database.ts'

export interface TimescaleSupport {
  /** The server has the extension's files (pg_available_extensions). */
  available: boolean
  /** shared_preload_libraries lists timescaledb. */
  preloaded: boolean
  /** `create extension timescaledb` already ran in this database. */
  created: boolean
}

export type TimescalePlan =
  | { action: 'apply' }
  | { action: 'skip'; reason: string; warning?: string }
  | { action: 'refuse'; message: string }

const PRELOAD_FIX =
  "add shared_preload_libraries = 'timescaledb' to postgresql.conf and restart PostgreSQL " +
  '(scripts/infra.sh start postgres does it for its own cluster, restarting a server started without it)'

const INSTALL_FIX =
  'build it with TIMESCALEDB_SOURCE=path/to/timescaledb-X.tar.gz scripts/infra.sh install, ' +
  'or use the timescale/timescaledb image (docker compose up -d timescaledb)'

export async function readTimescaleSupport(db: Queryable): Promise<TimescaleSupport> {
  const { rows } = await db.query<{ available: boolean; preloaded: boolean; created: boolean }>(
    `select exists (select 1 from pg_available_extensions where name = 'timescaledb') as available,
            'timescaledb' = any (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))
              as preloaded,
            exists (select 1 from pg_extension where extname = 'timescaledb') as created`
  )
  const row = rows[0]
  return {
    available: row?.available === true,
    preloaded: row?.preloaded === true,
    created: row?.created === true
  }
}

/** What to do for a TIMESCALE mode ('auto' or 'on') given the server's answers. */
export function planTimescale(mode: 'auto' | 'on', support: TimescaleSupport): TimescalePlan {
  if (support.available && support.preloaded) return { action: 'apply' }
  if (!support.available) {
    if (mode === 'on') {
      return {
        action: 'refuse',
        message: `TIMESCALE=on but the timescaledb extension is not installed on this server: ${INSTALL_FIX}; or set TIMESCALE=auto`
      }
    }
    return {
      action: 'skip',
      reason: 'timescaledb extension not available: plain tables',
      warning: `TimescaleDB is not installed on this PostgreSQL, so TIMESCALE=auto uses plain tables. To use it, ${INSTALL_FIX}; TIMESCALE=off silences this`
    }
  }
  // Installed but not preloaded. A database that already has the extension keeps its data in
  // hypertables, which the server cannot read without the library: plain tables are no way out.
  if (mode === 'on' || support.created) {
    return {
      action: 'refuse',
      message:
        `${mode === 'on' ? 'TIMESCALE=on' : 'this database uses TimescaleDB'} but the timescaledb library is not ` +
        `preloaded by the server: ${PRELOAD_FIX}`
    }
  }
  return {
    action: 'skip',
    reason: 'timescaledb installed but not preloaded: plain tables',
    warning: `TimescaleDB is installed but not preloaded, so TIMESCALE=auto uses plain tables. To use it, ${PRELOAD_FIX}; TIMESCALE=off silences this`
  }
}
