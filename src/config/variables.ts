/**
 * Every environment variable the program reads, with its parser, default and documentation. This
 * table is the single source: config.ts builds the typed configuration from it, and a test checks
 * that .env.example and the README document exactly these names.
 */
import { type Parser, boolean, hostPort, integer, list, oneOf, originList, text, url } from './parsers.ts'

export interface Variable<T> {
  readonly parser: Parser<T>
  /** Raw default, parsed like user input so that defaults are validated too. */
  readonly default: string
  readonly doc: string
}

function variable<T>(parser: Parser<T>, defaultValue: string, doc: string): Variable<T> {
  return { parser, default: defaultValue, doc }
}

export const variables = {
  LOG_LEVEL: variable(
    oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'),
    'info',
    'Structured (JSON) log level.'
  ),
  DATA_DIR: variable(
    text(),
    '.data',
    'Folder for local state (embedded mode data, producer seen-sets, backfill checkpoints).'
  ),

  OPS_HOST: variable(text(), '127.0.0.1', 'Interface of the health/metrics endpoint every role serves.'),
  OPS_PORT: variable(
    integer(0, 65535),
    '9464',
    'Port of /health/live, /health/ready and /metrics (0 picks a free port; each role run apart needs its own).'
  ),

  KAFKA_SERVERS: variable(
    list(hostPort()),
    'localhost:9092',
    'Kafka bootstrap servers, comma-separated host:port.'
  ),
  KAFKA_CLIENT_ID: variable(
    text(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or dash'),
    'crypto-viz',
    'Client id sent to the broker (shows in broker logs and quotas).'
  ),
  KAFKA_READY_TIMEOUT_MS: variable(
    integer(1_000, 3_600_000),
    '60000',
    'How long to wait for the broker at start-up (with retries and backoff) before giving up.'
  ),

  TOPIC_PARTITIONS: variable(integer(1, 1_000), '3', 'Partitions of each raw topic.'),
  TOPIC_REPLICATION_FACTOR: variable(
    integer(1, 10),
    '1',
    'Replication factor of each topic (1 for a single broker).'
  ),
  TOPIC_RETENTION_HOURS: variable(
    integer(1, 87_600),
    '168',
    'Retention of the raw topics, in hours (default 7 days).'
  ),
  DEAD_LETTER_RETENTION_HOURS: variable(
    integer(1, 87_600),
    '720',
    'Retention of the dead-letter topic, in hours (default 30 days).'
  ),

  DATABASE_URL: variable(
    url(['postgres:', 'postgresql:']),
    'postgres://cryptoviz:cryptoviz@127.0.0.1:5432/cryptoviz',
    'PostgreSQL/TimescaleDB connection URL.'
  ),
  DATABASE_POOL_SIZE: variable(integer(1, 200), '10', 'Connections in the database pool of each process.'),
  TIMESCALE: variable(
    oneOf('auto', 'on', 'off'),
    'auto',
    'Use TimescaleDB hypertables when the extension is available (auto), require it (on), or never (off).'
  ),
  RETENTION_DAYS_RAW: variable(
    integer(0, 36_500),
    '0',
    'TimescaleDB: days of raw trades/tickers/book tops to keep (0 keeps everything).'
  ),
  RETENTION_DAYS_AGGREGATES: variable(
    integer(0, 36_500),
    '0',
    'TimescaleDB: days of candles, indicators and sentiment series to keep (0 keeps everything).'
  ),
  COMPRESS_AFTER_DAYS: variable(
    integer(1, 3_650),
    '7',
    'TimescaleDB: compress chunks older than this many days.'
  ),
  REDIS_URL: variable(
    url(['redis:', 'rediss:']),
    'redis://127.0.0.1:6379',
    'Redis URL for the API cache and the live-events fan-out.'
  ),

  API_HOST: variable(text(), '127.0.0.1', 'Interface the HTTP API listens on (0.0.0.0 for every interface).'),
  API_PORT: variable(
    integer(0, 65535),
    '8080',
    'Port of the HTTP API and its live WebSocket (0 picks a free port).'
  ),
  API_TRUST_PROXY: variable(
    boolean(),
    'false',
    'Trust X-Forwarded-For from a reverse proxy, so rate limits apply per real client address.'
  ),
  CORS_ORIGINS: variable(
    originList(),
    '',
    'Origins allowed to call the API from a browser: empty for none (the dashboard is same-origin), * for any.'
  ),
  RATE_LIMIT_PER_MINUTE: variable(
    integer(0, 1_000_000),
    '1200',
    'Requests per minute per client address on each API instance (0 turns rate limiting off).'
  ),
  CACHE_MAX_STALENESS_MS: variable(
    integer(100, 600_000),
    '2000',
    'Upper bound on how much older than the newest stored data a cached API answer may be.'
  ),
  API_PAGE_SIZE_DEFAULT: variable(
    integer(1, 100_000),
    '100',
    'Items per page when a request gives no limit.'
  ),
  API_PAGE_SIZE_MAX: variable(integer(1, 100_000), '1000', 'Largest page a request may ask for (limit).'),
  API_MAX_RANGE_DAYS: variable(
    integer(1, 36_500),
    '31',
    'Longest time range (to - from) one request may ask for, in days.'
  ),
  LIVE_PING_INTERVAL_MS: variable(
    integer(1_000, 600_000),
    '30000',
    'How often the API pings each live WebSocket client; one that has not answered by the next ping is dropped.'
  ),
  LIVE_MAX_BUFFERED_BYTES: variable(
    integer(1_024, 1_073_741_824),
    '1048576',
    'Bytes a live client may have queued unsent before it is dropped as too slow (it never slows the others).'
  ),
  LIVE_MAX_SUBSCRIPTIONS: variable(
    integer(1, 10_000),
    '200',
    'Channels one live client may subscribe to at once.'
  )
} as const satisfies Record<string, Variable<unknown>>

export type VariableName = keyof typeof variables
export type VariableValues = {
  -readonly [K in VariableName]: ReturnType<(typeof variables)[K]['parser']['parse']>
}
