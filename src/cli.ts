#!/usr/bin/env node
/**
 * The one entry point: `crypto-viz <command> [flags]`. Reads and validates the configuration once,
 * then runs the command; stops gracefully on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util'
import { commands } from './cli/commands.ts'
import type { Command } from './cli/command.ts'
import { type Config, loadConfig } from './config/config.ts'
import { CryptoVizError, ErrorCodes, describeError, isCryptoVizError } from './errors/errors.ts'
import { createLogger } from './log/logger.ts'

// Exit codes from sysexits.h where one fits.
const EXIT_USAGE = 64
const EXIT_CONFIG = 78
const EXIT_FAILURE = 1

function usage(): string {
  const width = Math.max(...commands.map(c => c.name.length))
  return [
    'usage: crypto-viz <command> [flags]',
    '',
    'commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment and .env (see .env.example).'
  ].join('\n')
}

function findCommand(name: string | undefined): Command {
  const command = commands.find(c => c.name === name)
  if (command === undefined) {
    throw new CryptoVizError(
      ErrorCodes.USAGE,
      name === undefined ? usage() : `unknown command '${name}'\n\n${usage()}`
    )
  }
  return command
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`)
    return name === undefined ? EXIT_USAGE : 0
  }
  const command = findCommand(name)
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options ?? {},
    allowPositionals: true,
    strict: true
  })
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (command.onInvalidConfig === undefined || !isCryptoVizError(error, ErrorCodes.CONFIG_INVALID))
      throw error
    return command.onInvalidConfig({ error, flags: values, out: line => process.stdout.write(`${line}\n`) })
  }
  const log = (command.createLog?.(config, values) ?? createLogger(config)).child({ command: command.name })
  const controller = new AbortController()
  const stop = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      log.warn({ signal }, 'second signal: exiting now')
      process.exit(130)
    }
    log.info({ signal }, 'stopping gracefully (send again to force)')
    controller.abort(new Error(`received ${signal}`))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return command.run({
    config,
    log,
    flags: values,
    positionals,
    signal: controller.signal,
    out: line => process.stdout.write(`${line}\n`)
  })
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  const code = isCryptoVizError(error)
    ? error.code === ErrorCodes.CONFIG_INVALID
      ? EXIT_CONFIG
      : error.code === ErrorCodes.USAGE
        ? EXIT_USAGE
        : EXIT_FAILURE
    : error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
      ? EXIT_USAGE
      : EXIT_FAILURE
  const prefix =
    isCryptoVizError(error) && error.code !== ErrorCodes.USAGE ? `error [${error.code}]: ` : 'error: '
  process.stderr.write(
    `${error instanceof CryptoVizError && error.code === ErrorCodes.USAGE ? '' : prefix}${describeError(error)}\n`
  )
  process.exitCode = code
}
