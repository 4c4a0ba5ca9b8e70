/** `crypto-viz migrate`: apply pending migrations and the TimescaleDB layer, and say what was done. */
import { openDatabase } from '../store/open-database.ts'
import type { Command } from './command.ts'

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the database migrations (idempotent) and, where available, the TimescaleDB layer',
  async run({ config, log, out }) {
    const { db, migrations, timescale } = await openDatabase(config, log, {
      applicationName: 'crypto-viz-migrate'
    })
    try {
      for (const name of migrations.applied) out(`applied  ${name}`)
      out(
        migrations.applied.length === 0
          ? `schema up to date (${migrations.alreadyApplied.length} migrations already applied)`
          : `${migrations.applied.length} migration(s) applied, ${migrations.alreadyApplied.length} already applied`
      )
      out(`TimescaleDB: ${timescale.enabled ? 'enabled' : 'not used'} (${timescale.reason})`)
      return 0
    } finally {
      await db.close()
    }
  }
}
