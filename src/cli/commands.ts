/** Every CLI command, in the order `crypto-viz help` lists them. */
import { allCommand } from './all-command.ts'
import { analyticsCommand } from './analytics-command.ts'
import { apiCommand } from './api-command.ts'
import { backfillCommand } from './backfill-command.ts'
import type { Command } from './command.ts'
import { configCommand } from './config-command.ts'
import { doctorCommand } from './doctor-command.ts'
import { ingestCommand } from './ingest-command.ts'
import { migrateCommand } from './migrate-command.ts'
import { produceCommand } from './produce-command.ts'
import { simCommand } from './sim-command.ts'
import { topicsCommand } from './topics-command.ts'

export const commands: readonly Command[] = [
  allCommand,
  produceCommand,
  ingestCommand,
  analyticsCommand,
  apiCommand,
  topicsCommand,
  migrateCommand,
  doctorCommand,
  backfillCommand,
  simCommand,
  configCommand
]
