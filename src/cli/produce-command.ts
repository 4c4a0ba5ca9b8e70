/** `crypto-viz produce`: the produce role on its own (Kraken and news into Kafka), live or replayed. */
import { runRoles } from '../runtime/run-roles.ts'
import { startReplay } from '../runtime/replay-sources.ts'
import { produceRole } from '../sources/produce-role.ts'
import type { Command } from './command.ts'
import { replayFlags, withReplayFlags } from './source-flags.ts'

export const produceCommand: Command = {
  name: 'produce',
  summary: 'stream Kraken market data and crypto news into Kafka (--replay: from built-in fake servers)',
  usage: 'crypto-viz produce [--replay] [--speed N] [--market synthetic|recorded]',
  options: replayFlags,
  async run(context) {
    const config = withReplayFlags(context.config, context.flags)
    return runRoles({ ...context, config }, [produceRole({ replay: startReplay })])
  }
}
