/**
 * The configuration, read once at start-up from the environment and an optional `.env` file
 * (the environment wins), validated as a whole, then frozen. The rest of the code receives a
 * `Config` and never reads `process.env`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import type { FeedSelection, MacdSpec } from './signal-parsers.ts'
import type { FeedSpec } from './source-parsers.ts'
import { type VariableName, type VariableValues, variables } from './variables.ts'

export type { FeedSelection, MacdSpec } from './signal-parsers.ts'
export type { FeedSpec } from './source-parsers.ts'
export type KrakenChannel = VariableValues['KRAKEN_CHANNELS'][number]
export type ProducerSource = VariableValues['PRODUCER_SOURCES'][number]

export interface Config {
  readonly log: {
    readonly level: VariableValues['LOG_LEVEL']
    /** True when LOG_LEVEL was set explicitly: `all` then writes JSON logs on stderr, not its console view. */
    readonly configured: boolean
  }
  readonly dataDir: string
  readonly ops: {
    readonly host: string
    readonly port: number
    /** 0: consumer lag is not read for metrics. */
    readonly lagPollIntervalMs: number
  }
  readonly bus: {
    /** As configured; `auto` means Kafka when `kafka.configured`, else embedded (see create-bus.ts). */
    readonly kind: VariableValues['BUS']
    readonly embeddedRetentionBytes: number
  }
  readonly kafka: {
    readonly servers: readonly string[]
    readonly clientId: string
    /** Put before every topic name on the broker (TOPIC_PREFIX); empty by default. */
    readonly topicPrefix: string
    readonly readyTimeoutMs: number
    /** True when KAFKA_SERVERS was set explicitly (env or .env), not taken from the default. */
    readonly configured: boolean
  }
  readonly topics: {
    readonly partitions: number
    readonly replicationFactor: number
    /** Replicas that must hold a record before an acks=all write succeeds (topic min.insync.replicas). */
    readonly minInsyncReplicas: number
    readonly retentionHours: number
    readonly deadLetterRetentionHours: number
  }
  readonly database: {
    readonly url: string
    readonly configured: boolean
    readonly poolSize: number
    readonly timescale: {
      readonly mode: 'auto' | 'on' | 'off'
      readonly rawRetentionDays: number
      readonly aggregateRetentionDays: number
      readonly compressAfterDays: number
    }
  }
  readonly redis: { readonly url: string; readonly configured: boolean; readonly keyPrefix: string }
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
    /** Candle intervals (minutes) of the start-up history fill, in loading order; empty: none. */
    readonly historyIntervals: readonly number[]
  }
  readonly news: {
    readonly feeds: readonly FeedSpec[]
    readonly pollIntervalS: number
    readonly fetchTimeoutMs: number
    readonly userAgent: string
    readonly seenRetentionDays: number
    readonly skipSponsored: boolean
    /** Fetching each new article's page for its main text. */
    readonly articles: {
      readonly feeds: FeedSelection
      readonly userAgent: string
      readonly timeoutMs: number
      readonly budgetMs: number
      readonly maxBytes: number
      readonly maxRedirects: number
      readonly concurrency: number
      readonly hostConcurrency: number
      readonly hostRatePerMinute: number
      readonly hostBurst: number
      readonly allowPrivateHosts: readonly string[]
    }
  }
  readonly api: {
    readonly host: string
    readonly port: number
    readonly trustProxy: boolean
    /** Empty: no CORS headers, same origin only (also for the live WebSocket); ['*']: any origin. */
    readonly corsOrigins: readonly string[]
    /** 0: no rate limiting. */
    readonly rateLimitPerMinute: number
    /** False: /metrics and the detailed health report are served on the ops port only. */
    readonly exposeOps: boolean
    readonly cacheMaxStalenessMs: number
    readonly pageSizeDefault: number
    readonly pageSizeMax: number
    readonly maxRangeDays: number
    /** Signs page cursors; empty: a random key per process (api/cursor.ts). */
    readonly cursorKey: string
    readonly live: {
      readonly pingIntervalMs: number
      readonly maxBufferedBytes: number
      readonly maxSubscriptions: number
    }
  }
  readonly ingest: {
    readonly groupId: string
    readonly batchMaxRecords: number
    readonly batchMaxWaitMs: number
    readonly writeLanes: number
    readonly liveTradesPerSymbol: number
  }
  readonly analytics: {
    readonly groupId: string
    /** Members of the group in one analytics process (the main thread and worker threads); `auto` already resolved. */
    readonly workers: number
    /** Old-space limit of each worker thread (MiB); 0: Node's default. */
    readonly workerHeapMb: number
    /** Young-generation size of each worker thread (MiB); 0: Node's default. */
    readonly workerYoungMb: number
    readonly batchMaxRecords: number
    readonly batchMaxWaitMs: number
    readonly latenessMs: number
    readonly indicators: {
      /** Candles each value is computed over (EMA and RSI converge well within it). */
      readonly window: number
      readonly smaPeriods: readonly number[]
      readonly emaPeriods: readonly number[]
      readonly rsiPeriod: number
      readonly bollingerPeriod: number
      readonly bollingerStdDev: number
      readonly volatilityPeriod: number
      /** Absent: no MACD. */
      readonly macd?: MacdSpec | undefined
    }
    readonly sentiment: { readonly halfLifeMinutes: number; readonly windowHours: number }
    readonly alerts: {
      readonly cooldownMinutes: number
      readonly priceMovePct: number
      readonly priceMoveWindowMinutes: number
      readonly volumeZScore: number
      readonly volumeLookback: number
      readonly spreadRatio: number
      readonly spreadMinBps: number
      readonly spreadLookback: number
      readonly sentimentSwing: number
      readonly sentimentWindowHours: number
      readonly sentimentMinArticles: number
    }
    readonly whale: {
      /** Floor (and fixed threshold) for USD-quoted pairs; 0 disables the rule. */
      readonly minNotionalUsd: number
      /** Per-pair thresholds in the quote currency. */
      readonly bySymbol: ReadonlyMap<string, number>
      /** 0: fixed thresholds only. */
      readonly quantile: number
      readonly window: number
    }
  }
}

export interface LoadOptions {
  /** Path of the .env file; defaults to `.env` in the working directory. Missing is fine. */
  envFile?: string
  /** The environment (default process.env). */
  env?: Env
}

/**
 * The file where scripts/start_all.sh records the addresses of the stack it started
 * (KAFKA_SERVERS, DATABASE_URL, REDIS_URL) and scripts/stop_all.sh removes it, so that commands run
 * afterwards in the same checkout (doctor, topics, backfill) find that stack.
 */
export const STACK_ENV_FILE = 'stack.env'

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
    log: { level: v.LOG_LEVEL, configured: set.has('LOG_LEVEL') },
    dataDir: resolve(v.DATA_DIR),
    ops: { host: v.OPS_HOST, port: v.OPS_PORT, lagPollIntervalMs: v.LAG_POLL_INTERVAL_MS },
    bus: { kind: v.BUS, embeddedRetentionBytes: v.EMBEDDED_BUS_RETENTION_MB * 1024 * 1024 },
    kafka: {
      servers: v.KAFKA_SERVERS,
      clientId: v.KAFKA_CLIENT_ID,
      topicPrefix: v.TOPIC_PREFIX,
      readyTimeoutMs: v.KAFKA_READY_TIMEOUT_MS,
      configured: set.has('KAFKA_SERVERS')
    },
    topics: {
      partitions: v.TOPIC_PARTITIONS,
      replicationFactor: v.TOPIC_REPLICATION_FACTOR,
      minInsyncReplicas: checkedMinInsync(v.TOPIC_MIN_INSYNC_REPLICAS, v.TOPIC_REPLICATION_FACTOR),
      retentionHours: v.TOPIC_RETENTION_HOURS,
      deadLetterRetentionHours: v.DEAD_LETTER_RETENTION_HOURS
    },
    database: {
      url: v.DATABASE_URL,
      configured: set.has('DATABASE_URL'),
      poolSize: v.DATABASE_POOL_SIZE,
      timescale: {
        mode: v.TIMESCALE,
        rawRetentionDays: v.RETENTION_DAYS_RAW,
        aggregateRetentionDays: v.RETENTION_DAYS_AGGREGATES,
        compressAfterDays: v.COMPRESS_AFTER_DAYS
      }
    },
    redis: { url: v.REDIS_URL, configured: set.has('REDIS_URL'), keyPrefix: v.REDIS_KEY_PREFIX },
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
      restMinIntervalMs: v.KRAKEN_REST_MIN_INTERVAL_MS,
      historyIntervals: v.KRAKEN_HISTORY_INTERVALS
    },
    news: {
      feeds: v.NEWS_FEEDS,
      pollIntervalS: v.NEWS_POLL_INTERVAL_S,
      fetchTimeoutMs: v.NEWS_FETCH_TIMEOUT_MS,
      userAgent: v.NEWS_USER_AGENT,
      seenRetentionDays: v.NEWS_SEEN_RETENTION_DAYS,
      skipSponsored: v.NEWS_SKIP_SPONSORED,
      articles: {
        feeds: checkedSelection(v.NEWS_ARTICLE_FETCH, v.NEWS_FEEDS),
        userAgent: v.NEWS_ARTICLE_USER_AGENT,
        timeoutMs: v.NEWS_ARTICLE_TIMEOUT_MS,
        budgetMs: v.NEWS_ARTICLE_BUDGET_MS,
        maxBytes: v.NEWS_ARTICLE_MAX_BYTES,
        maxRedirects: v.NEWS_ARTICLE_MAX_REDIRECTS,
        concurrency: v.NEWS_ARTICLE_CONCURRENCY,
        hostConcurrency: v.NEWS_ARTICLE_HOST_CONCURRENCY,
        hostRatePerMinute: v.NEWS_ARTICLE_HOST_RATE_PER_MIN,
        hostBurst: v.NEWS_ARTICLE_HOST_BURST,
        allowPrivateHosts: v.NEWS_ARTICLE_ALLOW_PRIVATE_HOSTS
      }
    },
    api: {
      host: v.API_HOST,
      port: v.API_PORT,
      trustProxy: v.API_TRUST_PROXY,
      corsOrigins: v.CORS_ORIGINS,
      rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
      exposeOps: v.API_EXPOSE_OPS,
      cacheMaxStalenessMs: v.CACHE_MAX_STALENESS_MS,
      pageSizeDefault: Math.min(v.API_PAGE_SIZE_DEFAULT, v.API_PAGE_SIZE_MAX),
      pageSizeMax: v.API_PAGE_SIZE_MAX,
      maxRangeDays: v.API_MAX_RANGE_DAYS,
      cursorKey: v.API_CURSOR_KEY,
      live: {
        pingIntervalMs: v.LIVE_PING_INTERVAL_MS,
        maxBufferedBytes: v.LIVE_MAX_BUFFERED_BYTES,
        maxSubscriptions: v.LIVE_MAX_SUBSCRIPTIONS
      }
    },
    ingest: {
      groupId: v.INGEST_GROUP_ID,
      batchMaxRecords: v.INGEST_BATCH_MAX_RECORDS,
      batchMaxWaitMs: v.INGEST_BATCH_MAX_WAIT_MS,
      writeLanes: v.INGEST_WRITE_LANES,
      liveTradesPerSymbol: v.INGEST_LIVE_TRADES_PER_SYMBOL
    },
    analytics: {
      groupId: v.ANALYTICS_GROUP_ID,
      // More workers than partitions would sit idle; more than cores would only contend.
      workers:
        v.ANALYTICS_WORKERS === 'auto'
          ? Math.min(availableParallelism(), v.TOPIC_PARTITIONS)
          : v.ANALYTICS_WORKERS,
      workerHeapMb: v.ANALYTICS_WORKER_HEAP_MB,
      workerYoungMb: v.ANALYTICS_WORKER_YOUNG_MB,
      batchMaxRecords: v.ANALYTICS_BATCH_MAX_RECORDS,
      batchMaxWaitMs: v.ANALYTICS_BATCH_MAX_WAIT_MS,
      latenessMs: v.ANALYTICS_LATENESS_MS,
      indicators: {
        window: v.ANALYTICS_INDICATOR_WINDOW,
        smaPeriods: v.INDICATOR_SMA_PERIODS,
        emaPeriods: v.INDICATOR_EMA_PERIODS,
        rsiPeriod: v.INDICATOR_RSI_PERIOD,
        bollingerPeriod: v.INDICATOR_BOLLINGER_PERIOD,
        bollingerStdDev: v.INDICATOR_BOLLINGER_STDDEV,
        volatilityPeriod: v.INDICATOR_VOLATILITY_PERIOD,
        macd: v.INDICATOR_MACD
      },
      sentiment: {
        halfLifeMinutes: v.SENTIMENT_HALF_LIFE_MINUTES,
        windowHours: v.SENTIMENT_WINDOW_HOURS
      },
      alerts: {
        cooldownMinutes: v.ALERT_COOLDOWN_MINUTES,
        priceMovePct: v.ALERT_PRICE_MOVE_PCT,
        priceMoveWindowMinutes: v.ALERT_PRICE_MOVE_WINDOW_MINUTES,
        volumeZScore: v.ALERT_VOLUME_ZSCORE,
        volumeLookback: v.ALERT_VOLUME_LOOKBACK,
        spreadRatio: v.ALERT_SPREAD_RATIO,
        spreadMinBps: v.ALERT_SPREAD_MIN_BPS,
        spreadLookback: v.ALERT_SPREAD_LOOKBACK,
        sentimentSwing: v.ALERT_SENTIMENT_SWING,
        sentimentWindowHours: v.ALERT_SENTIMENT_WINDOW_HOURS,
        sentimentMinArticles: v.ALERT_SENTIMENT_MIN_ARTICLES
      },
      whale: {
        minNotionalUsd: v.WHALE_MIN_NOTIONAL_USD,
        bySymbol: v.WHALE_MIN_NOTIONAL_BY_SYMBOL,
        quantile: v.WHALE_QUANTILE,
        window: v.WHALE_QUANTILE_WINDOW
      }
    }
  })
}

/** A feed named in NEWS_ARTICLE_FETCH must exist: a misspelt name would silently fetch nothing. */
/** More in-sync replicas than copies would refuse every acks=all write. */
function checkedMinInsync(minInsync: number, replicationFactor: number): number {
  if (minInsync > replicationFactor) {
    throw new CryptoVizError(
      ErrorCodes.CONFIG_INVALID,
      `invalid configuration:\n  TOPIC_MIN_INSYNC_REPLICAS: ${minInsync} is more than TOPIC_REPLICATION_FACTOR (${replicationFactor}); ` +
        'every write would be refused. On a three-broker cluster use 3 and 2; on one broker, 1 and 1',
      { fatal: true }
    )
  }
  return minInsync
}

function checkedSelection(selection: FeedSelection, feeds: readonly FeedSpec[]): FeedSelection {
  const named = selection.kind === 'all' ? selection.except : selection.names
  const unknown = named.filter(name => !feeds.some(feed => feed.name === name))
  if (unknown.length > 0) {
    throw new CryptoVizError(
      ErrorCodes.CONFIG_INVALID,
      `invalid configuration:\n  NEWS_ARTICLE_FETCH: ${unknown.map(n => JSON.stringify(n)).join(', ')} ` +
        `${unknown.length > 1 ? 'are' : 'is'} not a feed of NEWS_FEEDS (${feeds.map(f => f.name).join(', ')})`,
      { fatal: true }
    )
  }
  return selection
}

/**
 * The environment, over `.env` (if present), over the stack file of scripts/start_all.sh in
 * DATA_DIR (if present): explicit settings always win over what the stack recorded.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env
  const fromFile = readEnvFile(resolve(options.envFile ?? '.env'))
  const dataDir = env.DATA_DIR ?? fromFile.DATA_DIR ?? variables.DATA_DIR.default
  const fromStack = readEnvFile(resolve(dataDir, STACK_ENV_FILE))
  return configFromEnv({ ...fromStack, ...fromFile, ...env })
}
