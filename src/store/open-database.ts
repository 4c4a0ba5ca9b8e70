/**
 * Opens the database the configuration names and brings its schema up to date: migrations, then the
 * TimescaleDB layer where available. Waits for the server (saying so) up to a deadline, so a stack
 * started all at once does not fail on a database still starting. With `embeddedDir` it opens the
 * embedded PGlite in that folder instead (same migrations, same SQL; nothing to wait for).
 */
import type { Config } from '../config/config.ts'
import { CryptoVizError, ErrorCodes, describeError, isCryptoVizError } from '../errors/errors.ts'
import { equalJitterDelay, sleep } from '../lib/backoff.ts'
import { redactUrl } from '../lib/redact-url.ts'
import type { Logger } from '../log/logger.ts'
import type { Database } from './database.ts'
import { type MigrationReport, migrate } from './migrator.ts'
import { PgliteDatabase } from './pglite/pglite-database.ts'
import { PostgresDatabase } from './postgres/postgres-database.ts'
import { type TimescaleReport, applyTimescaleLayer } from './timescale/timescale-layer.ts'

export async function waitForDatabase(
  db: Database,
  options: { url: string; timeoutMs: number; log: Logger; signal?: AbortSignal }
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query('select 1')
      return
    } catch (error) {
      if (!isCryptoVizError(error, ErrorCodes.DB_UNAVAILABLE) || Date.now() > deadline) {
        throw new CryptoVizError(
          ErrorCodes.DB_UNAVAILABLE,
          `database at ${redactUrl(options.url)} not usable after ${attempt} attempt(s): ${describeError(error)}. ` +
            'Is PostgreSQL running? Start it with scripts/infra.sh start postgres (or docker compose up -d timescaledb), ' +
            'and check DATABASE_URL.',
          { cause: error, retryable: true }
        )
      }
      options.log.info({ attempt, lastError: describeError(error) }, 'database not reachable yet; retrying')
      await sleep(equalJitterDelay(attempt, { initialMs: 250, maxMs: 5_000 }), options.signal)
    }
  }
}

export interface OpenedDatabase {
  db: Database
  migrations: MigrationReport
  timescale: TimescaleReport
}

export async function openDatabase(
  config: Config,
  log: Logger,
  options: { applicationName?: string; migrate?: boolean; embeddedDir?: string } = {}
): Promise<OpenedDatabase> {
  const db =
    options.embeddedDir === undefined
      ? new PostgresDatabase({
          url: config.database.url,
          poolSize: config.database.poolSize,
          log,
          ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName })
        })
      : await PgliteDatabase.open(options.embeddedDir)
  try {
    if (db.kind === 'postgres') {
      log.info({ url: redactUrl(config.database.url) }, 'waiting for the database')
      await waitForDatabase(db, { url: config.database.url, timeoutMs: config.kafka.readyTimeoutMs, log })
    }
    if (options.migrate === false) {
      return {
        db,
        migrations: { applied: [], alreadyApplied: [] },
        timescale: { enabled: false, reason: 'not checked' }
      }
    }
    const migrations = await migrate(db)
    const timescale = await applyTimescaleLayer(db, config.database.timescale)
    if (timescale.warning !== undefined) log.warn({ timescale: timescale.reason }, timescale.warning)
    log.info({ kind: db.kind, applied: migrations.applied, timescale: timescale.reason }, 'database ready')
    return { db, migrations, timescale }
  } catch (error) {
    await db.close().catch(() => undefined)
    throw error
  }
}
