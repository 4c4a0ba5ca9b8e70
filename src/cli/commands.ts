/** Every CLI command, in the order `crypto-viz help` lists them. */
import { backfillCommand } from './backfill-command.ts'
import type { Command } from './command.ts'
import { configCommand } from './config-command.ts'
import { produceCommand } from './produce-command.ts'
import { simCommand } from './sim-command.ts'
import { topicsCommand } from './topics-command.ts'

export const commands: readonly Command[] = [
  produceCommand,
  backfillCommand,
  simCommand,
  topicsCommand,
  configCommand
]
