/**
 * Every environment variable the program reads, with its parser, default and documentation. This
 * table is the single source: config.ts builds the typed configuration from it, and a test checks
 * that .env.example and the README document exactly these names.
 */
import { type Parser, hostPort, integer, list, oneOf, text, url } from './parsers.ts'

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

  BUS: variable(
    oneOf('auto', 'kafka', 'embedded'),
    'auto',
    'Which bus the roles use: kafka, embedded (an in-process log under DATA_DIR/embedded/bus), or auto (Kafka if KAFKA_SERVERS is set, else embedded). The topics command always uses Kafka.'
  ),
  EMBEDDED_BUS_RETENTION_MB: variable(
    integer(1, 1_048_576),
    '128',
    "Embedded bus: most MiB kept per partition (the oldest segments go first; the topics' retention hours apply too)."
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
  REDIS_URL: variable(url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379', 'Redis URL for the API cache.')
} as const satisfies Record<string, Variable<unknown>>

export type VariableName = keyof typeof variables
export type VariableValues = {
  -readonly [K in VariableName]: ReturnType<(typeof variables)[K]['parser']['parse']>
}
