/**
 * Fifth check: the database answers, every migration is applied, and recent rows exist. In the
 * embedded mode the database (PGlite) lives inside the running process and only one process may
 * open it, so the doctor asks that process instead: through its API (pipeline status: newest rows),
 * knowing that the process applied the migrations before it started serving.
 */
import { describeError } from '../errors/errors.ts'
import { silentLogger } from '../log/logger.ts'
import { pendingMigrations } from '../store/migrator.ts'
import { PostgresDatabase } from '../store/postgres/postgres-database.ts'
import { type Freshness, dataFreshness } from '../store/queries/freshness.ts'
import { type CheckResult, type DoctorCheck, type DoctorContext, finding, within } from './doctor.ts'
import { fetchJson } from './fetch-json.ts'
import { redactUrl } from '../lib/redact-url.ts'

function ages(freshness: Freshness): { details: string[]; newest: number | undefined } {
  const now = Date.now()
  let newest: number | undefined
  const details = Object.entries(freshness).map(([kind, at]) => {
    if (typeof at !== 'string') return `${kind}: no rows`
    const ms = Date.parse(at)
    newest = Math.max(newest ?? 0, ms)
    return `${kind}: newest ${Math.round((now - ms) / 1000)} s ago (${at})`
  })
  return { details, newest }
}

function judgeFreshness(
  freshness: Freshness,
  maxAgeSeconds: number,
  prefix: string
): Omit<CheckResult, 'check'> {
  const { details, newest } = ages(freshness)
  if (newest === undefined)
    return finding('warn', `${prefix}; no rows yet`, {
      details,
      fix: 'nothing stored yet: check that the producers and ingest run (see the checks above and below)'
    })
  const age = Math.round((Date.now() - newest) / 1000)
  if (age > maxAgeSeconds)
    return finding('warn', `${prefix}; the newest row is ${age} s old (bound ${maxAgeSeconds} s)`, {
      details,
      fix: 'data stopped arriving: check the producers and the ingest and analytics roles (consumer groups above)'
    })
  return finding('ok', `${prefix}; newest row ${age} s ago`, { details })
}

async function fullStack(context: DoctorContext): ReturnType<DoctorCheck['run']> {
  const { config, timeoutMs, maxAgeSeconds } = context
  const where = redactUrl(config.database.url)
  const db = new PostgresDatabase({
    url: config.database.url,
    log: silentLogger(),
    poolSize: 1,
    applicationName: 'crypto-viz-doctor'
  })
  try {
    try {
      await within(timeoutMs, `the database at ${where}`, db.query('select 1'))
    } catch (error) {
      return finding('fail', `the database at ${where} is not reachable: ${describeError(error)}`, {
        fix: 'start it (scripts/infra.sh start postgres, or docker compose up -d timescaledb) and check DATABASE_URL'
      })
    }
    const pending = await within(timeoutMs, 'the migration table', pendingMigrations(db))
    if (pending.length > 0)
      return finding('fail', `${pending.length} migration(s) not applied: ${pending.join(', ')}`, {
        fix: 'run `crypto-viz migrate` (every role also migrates at start-up)'
      })
    const freshness = await within(timeoutMs, 'the freshness query', dataFreshness(db))
    return judgeFreshness(freshness, maxAgeSeconds, `${where}: migrations applied`)
  } finally {
    await db.close().catch(() => undefined)
  }
}

async function embedded(context: DoctorContext): ReturnType<DoctorCheck['run']> {
  const answer = await fetchJson(`${context.apiUrl}/api/pipeline`, context.timeoutMs).catch(
    (error: unknown) => error
  )
  if (answer instanceof Error || typeof answer !== 'object' || answer === null)
    return finding(
      'warn',
      'the embedded database lives inside the running pipeline, whose API does not answer',
      {
        details: [`asked ${context.apiUrl}/api/pipeline: ${describeError(answer)}`],
        fix: 'start the pipeline (npm start); one process owns the embedded database, so the doctor asks it rather than opening the files'
      }
    )
  const data = (answer as { data?: Freshness | null }).data
  if (data === undefined || data === null)
    return finding('fail', 'the running pipeline cannot read its database', {
      details: [String((answer as { dataError?: unknown }).dataError ?? 'no data in the pipeline status')],
      fix: 'read the pipeline process log; its database folder may be damaged or its disk full'
    })
  return judgeFreshness(
    data,
    context.maxAgeSeconds,
    'embedded database (migrated by the running process at start-up)'
  )
}

export const databaseCheck: DoctorCheck = {
  name: 'database',
  run: context =>
    context.mode === 'kafka' || context.config.database.configured ? fullStack(context) : embedded(context)
}
