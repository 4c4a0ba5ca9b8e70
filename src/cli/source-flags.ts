/** Flags shared by the producer commands (`produce`, `backfill`, `sim`), checked like configuration. */
import type { Config } from '../config/config.ts'
import { decimal, integer, oneOf } from '../config/parsers.ts'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import type { CommandContext } from './command.ts'

export const replayFlags = {
  replay: { type: 'boolean', default: false },
  speed: { type: 'string' },
  market: { type: 'string' }
} as const

export function flagValue<T>(
  flags: CommandContext['flags'],
  name: string,
  parse: (raw: string) => T
): T | undefined {
  const raw = flags[name]
  if (raw === undefined) return undefined
  if (typeof raw !== 'string') throw new CryptoVizError(ErrorCodes.USAGE, `--${name} needs a value`)
  try {
    return parse(raw)
  } catch (error) {
    throw new CryptoVizError(ErrorCodes.USAGE, `--${name}: ${(error as Error).message}`)
  }
}

export const speedFlag = (flags: CommandContext['flags']) =>
  flagValue(flags, 'speed', decimal(0.01, 1000).parse)
export const marketFlag = (flags: CommandContext['flags']) =>
  flagValue(flags, 'market', oneOf('synthetic', 'recorded').parse)
export const portFlag = (flags: CommandContext['flags'], name: string) =>
  flagValue(flags, name, integer(0, 65535).parse)

/** The configuration with --replay/--speed/--market applied (flags win over the environment). */
export function withReplayFlags(config: Config, flags: CommandContext['flags']): Config {
  const speed = speedFlag(flags)
  const market = marketFlag(flags)
  if (flags.replay !== true && speed === undefined && market === undefined) return config
  return {
    ...config,
    sources: {
      ...config.sources,
      mode: flags.replay === true ? 'replay' : config.sources.mode,
      replay: {
        ...config.sources.replay,
        ...(speed === undefined ? {} : { speed }),
        ...(market === undefined ? {} : { market })
      }
    }
  }
}
