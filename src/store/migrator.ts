/**
 * Versioned SQL migrations: `src/store/migrations/NNN_name.sql`, applied in order, each once, all
 * pending ones in one transaction under an advisory lock (two instances starting together cannot
 * both apply). Applied files are checksummed: editing one after it ran is an error, because the
 * databases that already ran it would silently differ from new ones.
 */
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { CryptoVizError, ErrorCodes, describeError, isCryptoVizError } from '../errors/errors.ts'
import type { Database } from './database.ts'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
// pg_advisory_xact_lock key: any constant shared by every instance of this program.
const LOCK_KEY = 7_226_455_961

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

export interface MigrationReport {
  applied: string[]
  alreadyApplied: string[]
}

export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter(file => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map(file => {
      const sql = readFileSync(new URL(file, dir), 'utf8')
      return {
        version: Number(file.slice(0, 3)),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex')
      }
    })
}

export async function migrate(
  db: Database,
  migrations: Migration[] = loadMigrations()
): Promise<MigrationReport> {
  try {
    return await db.transaction(async tx => {
      // The lock comes first: even `create table if not exists` races between two sessions.
      await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
      await tx.exec(`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`)
      const { rows } = await tx.query<{ version: number; name: string; checksum: string }>(
        'select version, name, checksum from schema_migrations order by version'
      )
      const applied = new Map(rows.map(row => [row.version, row]))
      const report: MigrationReport = { applied: [], alreadyApplied: [] }
      for (const migration of migrations) {
        const previous = applied.get(migration.version)
        if (previous !== undefined) {
          if (previous.checksum !== migration.checksum) {
            throw new CryptoVizError(
              ErrorCodes.MIGRATION,
              `migration ${migration.name} was edited after it was applied (as ${previous.name}); ` +
                'never edit an applied migration: revert the file and add a new migration instead'
            )
          }
          report.alreadyApplied.push(migration.name)
          continue
        }
        try {
          await tx.exec(migration.sql)
        } catch (error) {
          throw new CryptoVizError(
            ErrorCodes.MIGRATION,
            `migration ${migration.name} failed: ${describeError(error)}`,
            {
              cause: error
            }
          )
        }
        await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum
        ])
        report.applied.push(migration.name)
      }
      return report
    })
  } catch (error) {
    if (isCryptoVizError(error)) throw error
    throw new CryptoVizError(ErrorCodes.MIGRATION, `migrating failed: ${describeError(error)}`, {
      cause: error
    })
  }
}

/** Names of migrations not yet applied (for `doctor` and readiness checks). */
export async function pendingMigrations(
  db: Database,
  migrations: Migration[] = loadMigrations()
): Promise<string[]> {
  const exists = await db.query<{ present: boolean }>(
    "select to_regclass('schema_migrations') is not null as present"
  )
  if (exists.rows[0]?.present !== true) return migrations.map(m => m.name)
  const { rows } = await db.query<{ version: number }>('select version from schema_migrations')
  const done = new Set(rows.map(r => r.version))
  return migrations.filter(m => !done.has(m.version)).map(m => m.name)
}
