/** Every CLI command, in the order `crypto-viz help` lists them. */
import { apiCommand } from './api-command.ts'
import { analyticsCommand } from './analytics-command.ts'
import type { Command } from './command.ts'
import { configCommand } from './config-command.ts'
import { ingestCommand } from './ingest-command.ts'
import { migrateCommand } from './migrate-command.ts'
import { topicsCommand } from './topics-command.ts'

export const commands: readonly Command[] = [
  topicsCommand,
  migrateCommand,
  ingestCommand,
  analyticsCommand,
  apiCommand,
  configCommand
]
