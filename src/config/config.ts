/**
 * The configuration, read once at start-up from the environment and an optional `.env` file
 * (the environment wins), validated as a whole, then frozen. The rest of the code receives a
 * `Config` and never reads `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import type { FeedSpec } from './source-parsers.ts'
import { type VariableName, type VariableValues, variables } from './variables.ts'

export type { FeedSpec } from './source-parsers.ts'
export type KrakenChannel = VariableValues['KRAKEN_CHANNELS'][number]
export type ProducerSource = VariableValues['PRODUCER_SOURCES'][number]

export interface Config {
  readonly log: { readonly level: VariableValues['LOG_LEVEL'] }
  readonly dataDir: string
  readonly ops: { readonly host: string; readonly port: number }
  readonly kafka: {
    readonly servers: readonly string[]
    readonly clientId: string
    readonly readyTimeoutMs: number
    /** True when KAFKA_SERVERS was set explicitly (env or .env), not taken from the default. */
    readonly configured: boolean
  }
  readonly topics: {
    readonly partitions: number
    readonly replicationFactor: number
    readonly retentionHours: number
    readonly deadLetterRetentionHours: number
  }
  readonly database: { readonly url: string; readonly configured: boolean }
  readonly redis: { readonly url: string; readonly configured: boolean }
  readonly sources: {
    readonly mode: VariableValues['SOURCE_MODE']
    /** Producers the produce role runs. */
    readonly enabled: readonly ProducerSource[]
    readonly replay: {
      readonly speed: number
      readonly market: VariableValues['REPLAY_MARKET']
      readonly recording: string
    }
    readonly bufferMaxRecords: number
  }
  readonly kraken: {
    readonly wsUrl: string
    readonly restUrl: string
    readonly symbols: readonly string[]
    readonly channels: readonly KrakenChannel[]
    readonly bookDepth: VariableValues['KRAKEN_BOOK_DEPTH']
    readonly ohlcInterval: VariableValues['KRAKEN_OHLC_INTERVAL']
    readonly watchdogMs: number
    readonly pingIntervalMs: number
    readonly staleAfterMs: number
    readonly reconnectMaxMs: number
    readonly connectBudget: number
    readonly restMinIntervalMs: number
  }
  readonly news: {
    readonly feeds: readonly FeedSpec[]
    readonly pollIntervalS: number
    readonly fetchTimeoutMs: number
    readonly userAgent: string
    readonly seenRetentionDays: number
    readonly skipSponsored: boolean
  }
}

export interface LoadOptions {
  /** Path of the .env file; defaults to `.env` in the working directory. Missing is fine. */
  envFile?: string
}

type Env = Readonly<Record<string, string | undefined>>

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {}
  return parseDotenv(readFileSync(path))
}

function readVariables(env: Env): { values: VariableValues; set: Set<VariableName> } {
  const problems: string[] = []
  const values: Partial<Record<VariableName, unknown>> = {}
  const set = new Set<VariableName>()
  for (const name of Object.keys(variables) as VariableName[]) {
    const spec = variables[name]
    const raw = env[name]
    const given = raw !== undefined && raw.trim() !== ''
    if (given) set.add(name)
    try {
      values[name] = spec.parser.parse(given ? raw : spec.default)
    } catch (error) {
      problems.push(`  ${name}: ${(error as Error).message}`)
    }
  }
  if (problems.length > 0) {
    throw new CryptoVizError(
      ErrorCodes.CONFIG_INVALID,
      `invalid configuration (${problems.length} variable${problems.length > 1 ? 's' : ''}):\n${problems.join('\n')}\n` +
        'Fix the environment or .env (see .env.example for every variable and its default).',
      { fatal: true }
    )
  }
  return { values: values as VariableValues, set }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** Builds the configuration from a given environment (tests pass their own). */
export function configFromEnv(env: Env): Config {
  const { values: v, set } = readVariables(env)
  return deepFreeze({
    log: { level: v.LOG_LEVEL },
    dataDir: resolve(v.DATA_DIR),
    ops: { host: v.OPS_HOST, port: v.OPS_PORT },
    kafka: {
      servers: v.KAFKA_SERVERS,
      clientId: v.KAFKA_CLIENT_ID,
      readyTimeoutMs: v.KAFKA_READY_TIMEOUT_MS,
      configured: set.has('KAFKA_SERVERS')
    },
    topics: {
      partitions: v.TOPIC_PARTITIONS,
      replicationFactor: v.TOPIC_REPLICATION_FACTOR,
      retentionHours: v.TOPIC_RETENTION_HOURS,
      deadLetterRetentionHours: v.DEAD_LETTER_RETENTION_HOURS
    },
    database: { url: v.DATABASE_URL, configured: set.has('DATABASE_URL') },
    redis: { url: v.REDIS_URL, configured: set.has('REDIS_URL') },
    sources: {
      mode: v.SOURCE_MODE,
      enabled: v.PRODUCER_SOURCES,
      replay: { speed: v.REPLAY_SPEED, market: v.REPLAY_MARKET, recording: v.REPLAY_RECORDING },
      bufferMaxRecords: v.PRODUCER_BUFFER_MAX_RECORDS
    },
    kraken: {
      wsUrl: v.KRAKEN_WS_URL,
      restUrl: v.KRAKEN_REST_URL.replace(/\/+$/, ''),
      symbols: v.SYMBOLS,
      channels: v.KRAKEN_CHANNELS,
      bookDepth: v.KRAKEN_BOOK_DEPTH,
      ohlcInterval: v.KRAKEN_OHLC_INTERVAL,
      watchdogMs: v.KRAKEN_WATCHDOG_MS,
      pingIntervalMs: v.KRAKEN_PING_INTERVAL_MS,
      staleAfterMs: v.KRAKEN_STALE_AFTER_MS,
      reconnectMaxMs: v.KRAKEN_RECONNECT_MAX_MS,
      connectBudget: v.KRAKEN_CONNECT_BUDGET,
      restMinIntervalMs: v.KRAKEN_REST_MIN_INTERVAL_MS
    },
    news: {
      feeds: v.NEWS_FEEDS,
      pollIntervalS: v.NEWS_POLL_INTERVAL_S,
      fetchTimeoutMs: v.NEWS_FETCH_TIMEOUT_MS,
      userAgent: v.NEWS_USER_AGENT,
      seenRetentionDays: v.NEWS_SEEN_RETENTION_DAYS,
      skipSponsored: v.NEWS_SKIP_SPONSORED
    }
  })
}

/** Reads `.env` (if present) under the process environment, which takes precedence. */
export function loadConfig(options: LoadOptions = {}): Config {
  const fromFile = readEnvFile(resolve(options.envFile ?? '.env'))
  return configFromEnv({ ...fromFile, ...process.env })
}
