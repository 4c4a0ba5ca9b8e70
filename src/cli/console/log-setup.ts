/**
 * Where the logs of `npm start` go. JSON logs of a whole pipeline are a wall of text for a person,
 * so in the console view they go to DATA_DIR/logs/crypto-viz.log (info and up) and the terminal
 * gets only warnings and errors, briefly (console-log.ts). LOG_LEVEL set, or --verbose, restores the
 * JSON logs on stderr, as every other command writes them.
 */
import { mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import type { Config } from '../../config/config.ts'
import { type Logger, createLogger } from '../../log/logger.ts'
import { type LogEntry, consoleLogStream } from './console-log.ts'
import type { Terminal } from './terminal.ts'

/** A log file past this size is moved to `.1` at start-up (one old generation kept). */
const ROTATE_BYTES = 20 * 1024 * 1024

export function logFilePath(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'logs', 'crypto-viz.log')
}

/** JSON on stderr instead of the console view. */
export function wantsJsonLogs(config: Pick<Config, 'log'>, verbose: boolean): boolean {
  return verbose || config.log.configured
}

// Told in the narrative's own words (the producers' connection state): the file keeps them.
const coveredByNarrative = (entry: LogEntry): boolean =>
  entry.code === 'CV_ERR_FEED_FETCH' ||
  entry.code === 'CV_ERR_FEED_PARSE' ||
  (entry.component === 'kraken-ws' && typeof entry.msg === 'string' && entry.msg.includes('reconnecting')) ||
  (typeof entry.msg === 'string' &&
    (entry.msg.startsWith('REPLAY MODE') || entry.msg.startsWith('a role failed to start')))

function rotate(path: string): void {
  try {
    if (statSync(path).size > ROTATE_BYTES) renameSync(path, `${path}.1`)
  } catch {
    // no file yet
  }
}

export function consoleLogger(config: Config, terminal: Terminal): Logger {
  const path = logFilePath(config)
  mkdirSync(join(config.dataDir, 'logs'), { recursive: true })
  rotate(path)
  const file = pino.destination({ dest: path, sync: false, mkdir: true })
  const level = config.log.level
  return pino(
    { name: 'crypto-viz', level, base: { pid: process.pid } },
    pino.multistream([
      { level, stream: file },
      { level: 'warn', stream: consoleLogStream(terminal, { quiet: coveredByNarrative }) }
    ])
  )
}

export function allLogger(config: Config, terminal: Terminal, verbose: boolean): Logger {
  return wantsJsonLogs(config, verbose) ? createLogger(config) : consoleLogger(config, terminal)
}
