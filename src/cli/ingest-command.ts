/** `crypto-viz ingest`: run the ingest role (raw topics → PostgreSQL) until stopped. */
import { ingestRole } from '../jobs/ingest/ingest-role.ts'
import { runRoles } from '../runtime/run-roles.ts'
import type { Command } from './command.ts'

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'store the raw topics in the database (consumer group INGEST_GROUP_ID) until stopped',
  run: context => runRoles(context, [ingestRole])
}
