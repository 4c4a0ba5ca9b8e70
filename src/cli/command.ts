/** What a CLI command is: a name, a one-line summary, its flags, and what it runs. */
import type { ParseArgsConfig } from 'node:util'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log/logger.ts'

export interface CommandContext {
  config: Config
  log: Logger
  /** Flags parsed with the command's own `options`. */
  flags: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
  /** Aborted on SIGINT/SIGTERM: long-running commands stop gracefully when it fires. */
  signal: AbortSignal
  /** Human-readable output (stdout). */
  out: (line: string) => void
}

export interface Command {
  name: string
  summary: string
  usage?: string
  options?: ParseArgsConfig['options']
  /** The command's own logger (default: JSON on stderr); `all` sends logs to a file and the terminal. */
  createLog?(config: Config, flags: CommandContext['flags']): Logger
  /** Resolves with the process exit code. */
  run(context: CommandContext): Promise<number>
  /**
   * Runs instead of `run` when the configuration is invalid, for a command whose job is to report
   * that (doctor); without it, an invalid configuration stops the program before any command.
   */
  onInvalidConfig?(context: {
    error: unknown
    flags: CommandContext['flags']
    out: CommandContext['out']
  }): number
}
