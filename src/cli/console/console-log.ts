/**
 * The terminal's share of the logs under `npm start`: warnings and errors only, one short line each
 * ("⚠ message: cause [CODE]"), a repeat of the same message held back for a minute and then
 * summarised, and messages the narrative already tells in its own words (connection state of the
 * producers) left to the log file. The full JSON logs go to the file regardless.
 */
import type { Terminal } from './terminal.ts'

export interface LogEntry {
  level: number
  msg?: string
  code?: string
  err?: unknown
  reason?: unknown
  detail?: unknown
  component?: string
  [field: string]: unknown
}

export interface ConsoleLogOptions {
  /** Entries the narrative already covers: written to the log file only. */
  quiet?: (entry: LogEntry) => boolean
  /** A message repeated within this long is counted, not printed (default 60 s). */
  repeatAfterMs?: number
  now?: () => number
}

const WARN = 40
const ERROR = 50

function cause(entry: LogEntry): string | undefined {
  for (const value of [entry.err, entry.reason, entry.detail]) {
    if (typeof value === 'string' && value !== '') return value
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string'
    )
      return (value as { message: string }).message
  }
  return undefined
}

export function formatEntry(entry: LogEntry): string {
  const why = cause(entry)
  const code = typeof entry.code === 'string' ? ` [${entry.code}]` : ''
  return `${entry.msg ?? 'log entry without a message'}${why === undefined ? '' : `: ${why}`}${code}`
}

/** A pino destination (anything with `write(line)`) that prints through the terminal. */
export function consoleLogStream(
  terminal: Terminal,
  options: ConsoleLogOptions = {}
): { write(line: string): void } {
  const repeatAfterMs = options.repeatAfterMs ?? 60_000
  const now = options.now ?? Date.now
  const seen = new Map<string, { printedAt: number; held: number }>()
  return {
    write(line: string) {
      let entry: LogEntry
      try {
        entry = JSON.parse(line) as LogEntry
      } catch {
        return
      }
      if (typeof entry.level !== 'number' || entry.level < WARN) return
      if (options.quiet?.(entry) === true) return
      const key = `${entry.msg ?? ''}\u0000${typeof entry.code === 'string' ? entry.code : ''}`
      const previous = seen.get(key)
      const at = now()
      if (previous !== undefined && at - previous.printedAt < repeatAfterMs) {
        previous.held++
        return
      }
      const repeats =
        previous !== undefined && previous.held > 0 ? ` (and ${previous.held} more like it before)` : ''
      seen.set(key, { printedAt: at, held: 0 })
      terminal.line(entry.level >= ERROR ? 'error' : 'warn', `${formatEntry(entry)}${repeats}`)
    }
  }
}
