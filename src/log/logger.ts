/**
 * Structured JSON logs (pino) on stderr, so that a command's own output on stdout stays clean for
 * pipes. Every line carries the role/component that wrote it.
 */
import { pino, type Logger } from 'pino'
import type { Config } from '../config/config.ts'

export type { Logger }

export function createLogger(config: Pick<Config, 'log'>, name = 'crypto-viz'): Logger {
  return pino(
    { name, level: config.log.level, base: { pid: process.pid } },
    pino.destination({ fd: 2, sync: false })
  )
}

/** A logger that drops everything; for tests and pure code paths. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
