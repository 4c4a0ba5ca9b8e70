/**
 * Every environment variable the program reads, with its parser, default and documentation. This
 * table is the single source: config.ts builds the typed configuration from it, and a test checks
 * that .env.example and the README document exactly these names.
 */
import { type Parser, hostPort, integer, list, number, oneOf, text, url } from './parsers.ts'

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
  REDIS_URL: variable(url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379', 'Redis URL for the API cache.'),

  INGEST_GROUP_ID: variable(
    text(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or dash'),
    'crypto-viz-ingest',
    'Kafka consumer group of the ingest role (instances sharing it share the partitions).'
  ),
  INGEST_BATCH_MAX_RECORDS: variable(
    integer(1, 100_000),
    '5000',
    'Ingest writes a batch when it holds this many records…'
  ),
  INGEST_BATCH_MAX_WAIT_MS: variable(
    integer(1, 60_000),
    '50',
    '…or when its first record has waited this long (ms): the latency bound at low rates.'
  ),
  INGEST_WRITE_LANES: variable(
    integer(1, 16),
    '3',
    'Concurrent connections trades are written over (each trade always on the same one, by its key).'
  ),
  INGEST_LIVE_TRADES_PER_SYMBOL: variable(
    integer(0, 10_000),
    '50',
    'Most recent trades per symbol and batch announced on the live channel (0: none); all are stored.'
  ),

  ANALYTICS_GROUP_ID: variable(
    text(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore or dash'),
    'crypto-viz-analytics',
    'Kafka consumer group of the analytics role.'
  ),
  ANALYTICS_BATCH_MAX_RECORDS: variable(integer(1, 100_000), '2000', 'Records per analytics batch at most.'),
  ANALYTICS_BATCH_MAX_WAIT_MS: variable(
    integer(1, 60_000),
    '100',
    'How long an analytics batch waits to fill after its first record (ms).'
  ),
  ANALYTICS_LATENESS_MS: variable(
    integer(0, 86_400_000),
    '60000',
    'Allowed lateness in event time: a trade or ticker older than the newest one of its symbol by more than this is left out of candles and spreads (still stored raw).'
  ),
  ANALYTICS_INDICATOR_WINDOW: variable(
    integer(10, 5_000),
    '200',
    'Candles each indicator value is computed over (at least the longest period + 1); EMA and RSI converge within it.'
  ),
  INDICATOR_SMA_PERIODS: variable(
    list(integer(2, 1_000)),
    '20,50',
    'Simple moving averages to compute (periods in candles).'
  ),
  INDICATOR_EMA_PERIODS: variable(
    list(integer(2, 1_000)),
    '12,26',
    'Exponential moving averages to compute (periods in candles).'
  ),
  INDICATOR_RSI_PERIOD: variable(integer(2, 1_000), '14', 'Period of the RSI (Wilder smoothing).'),
  INDICATOR_BOLLINGER_PERIOD: variable(integer(2, 1_000), '20', 'Period of the Bollinger bands.'),
  INDICATOR_BOLLINGER_STDDEV: variable(
    number(0.1, 10),
    '2',
    'Width of the Bollinger bands in standard deviations.'
  ),
  INDICATOR_VOLATILITY_PERIOD: variable(
    integer(2, 1_000),
    '20',
    'Rolling volatility: standard deviation of this many log returns of closes.'
  ),
  SENTIMENT_HALF_LIFE_MINUTES: variable(
    integer(1, 100_000),
    '360',
    "Half-life of an article's weight in the rolling sentiment index."
  ),
  SENTIMENT_WINDOW_HOURS: variable(
    integer(1, 8_760),
    '24',
    'Articles older than this (before the end of a bucket) do not count in its sentiment index.'
  ),

  ALERT_COOLDOWN_MINUTES: variable(
    integer(1, 10_080),
    '15',
    'At most one alert per rule and symbol in each event-time window of this length (also the id window).'
  ),
  ALERT_PRICE_MOVE_PCT: variable(
    number(0, 1_000),
    '3',
    'Price move alert: absolute change in percent over the window (0 disables the rule).'
  ),
  ALERT_PRICE_MOVE_WINDOW_MINUTES: variable(integer(1, 1_440), '5', 'Price move alert: window in minutes.'),
  ALERT_VOLUME_ZSCORE: variable(
    number(0, 1_000),
    '4',
    "Volume spike alert: z-score of a minute's volume against the previous minutes (0 disables the rule)."
  ),
  ALERT_VOLUME_LOOKBACK: variable(
    integer(3, 1_440),
    '30',
    'Volume spike alert: how many earlier one-minute candles make the baseline.'
  ),
  ALERT_SPREAD_RATIO: variable(
    number(0, 1_000),
    '3',
    "Spread widening alert: a minute's average spread over the baseline average, as a ratio (0 disables the rule)."
  ),
  ALERT_SPREAD_MIN_BPS: variable(
    number(0, 10_000),
    '5',
    'Spread widening alert: ignore spreads narrower than this (basis points).'
  ),
  ALERT_SPREAD_LOOKBACK: variable(
    integer(3, 1_440),
    '30',
    'Spread widening alert: how many earlier one-minute spread buckets make the baseline.'
  ),
  ALERT_SENTIMENT_SWING: variable(
    number(0, 2),
    '0.5',
    "Sentiment swing alert: change of a coin's hourly sentiment index over the window (0 disables the rule)."
  ),
  ALERT_SENTIMENT_WINDOW_HOURS: variable(integer(1, 720), '6', 'Sentiment swing alert: window in hours.'),
  ALERT_SENTIMENT_MIN_ARTICLES: variable(
    integer(1, 10_000),
    '3',
    'Sentiment swing alert: articles the window must hold before the rule may fire.'
  )
} as const satisfies Record<string, Variable<unknown>>

export type VariableName = keyof typeof variables
export type VariableValues = {
  -readonly [K in VariableName]: ReturnType<(typeof variables)[K]['parser']['parse']>
}
