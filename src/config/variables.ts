/**
 * Every environment variable the program reads, with its parser, default and documentation. This
 * table is the single source: config.ts builds the typed configuration from it, and a test checks
 * that .env.example and the README document exactly these names.
 */
import {
  type Parser,
  boolean,
  decimal,
  hostPort,
  integer,
  integerOneOf,
  list,
  oneOf,
  text,
  uniqueList,
  url
} from './parsers.ts'
import { feedSpec, krakenSymbol } from './source-parsers.ts'

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
  REDIS_URL: variable(url(['redis:', 'rediss:']), 'redis://127.0.0.1:6379', 'Redis URL for the API cache.'),

  SOURCE_MODE: variable(
    oneOf('live', 'replay'),
    'live',
    'Where the producers read: live (Kraken and the news sites) or replay (in-process fake Kraken and feed servers fed by fixtures and a synthetic market; records carry the header x-source-mode: replay).'
  ),
  REPLAY_SPEED: variable(
    decimal(0.01, 1000),
    '1',
    'Replay speed: 1 is real time, 10 ten times faster (synthetic market rate, recorded-session pacing).'
  ),
  REPLAY_MARKET: variable(
    oneOf('synthetic', 'recorded'),
    'synthetic',
    'Replay market source: a synthetic random-walk market for every symbol, or a recorded session looped.'
  ),
  REPLAY_RECORDING: variable(
    text(),
    'fixtures/kraken/recorded/btc-usdt-2025-11-10.ndjson',
    'Recorded session (NDJSON of raw v2 frames with relative times) used when REPLAY_MARKET=recorded.'
  ),
  PRODUCER_SOURCES: variable(
    uniqueList(oneOf('kraken', 'news')),
    'kraken,news',
    'Which producers the produce role runs (run them in separate processes by giving one each).'
  ),
  PRODUCER_BUFFER_MAX_RECORDS: variable(
    integer(100, 10_000_000),
    '200000',
    'Records held while Kafka is unreachable; past this bound new records are dropped, counted (cryptoviz_producer_dropped_records_total) and logged.'
  ),

  KRAKEN_WS_URL: variable(url(['ws:', 'wss:']), 'wss://ws.kraken.com/v2', 'Kraken WebSocket v2 endpoint.'),
  KRAKEN_REST_URL: variable(
    url(['http:', 'https:']),
    'https://api.kraken.com',
    'Kraken REST base URL (gap fill and backfill use /0/public/Trades and /0/public/OHLC).'
  ),
  SYMBOLS: variable(
    uniqueList(krakenSymbol()),
    'BTC/USD,ETH/USD,SOL/USD,XRP/USD,ADA/USD,DOGE/USD',
    'Pairs to stream, in Kraken v2 naming (BTC/USD, not XBT/USD).'
  ),
  KRAKEN_CHANNELS: variable(
    uniqueList(oneOf('ticker', 'trade', 'book', 'ohlc')),
    'ticker,trade',
    'WebSocket channels to subscribe; book (checksum-verified L2 → rawbook) and ohlc (→ rawohlc) are opt-in.'
  ),
  KRAKEN_BOOK_DEPTH: variable(
    integerOneOf(10, 25, 100, 500, 1000),
    '10',
    'Depth of the book subscription (levels per side).'
  ),
  KRAKEN_OHLC_INTERVAL: variable(
    integerOneOf(1, 5, 15, 30, 60, 240, 1440, 10080, 21600),
    '1',
    'Candle interval of the ohlc subscription, minutes.'
  ),
  KRAKEN_WATCHDOG_MS: variable(
    integer(1_000, 600_000),
    '15000',
    'Inbound silence (no frame, not even a heartbeat) after which the client pings, then reconnects if the pong does not come.'
  ),
  KRAKEN_PING_INTERVAL_MS: variable(
    integer(1_000, 600_000),
    '30000',
    'Interval of application-level pings (round-trip time shows in metrics).'
  ),
  KRAKEN_STALE_AFTER_MS: variable(
    integer(1_000, 86_400_000),
    '300000',
    'A subscribed (channel, symbol) with no data for this long raises a staleness alarm and is resubscribed.'
  ),
  KRAKEN_RECONNECT_MAX_MS: variable(
    integer(100, 600_000),
    '30000',
    'Cap of the exponential reconnect backoff (full jitter, starting at 500 ms).'
  ),
  KRAKEN_CONNECT_BUDGET: variable(
    integer(1, 10_000),
    '120',
    'Connection attempts allowed per rolling 10 minutes (Kraken bans IPs that reconnect too often).'
  ),
  KRAKEN_REST_MIN_INTERVAL_MS: variable(
    integer(0, 60_000),
    '1000',
    'Minimum spacing of REST requests (Kraken allows about one public call per second).'
  ),

  NEWS_FEEDS: variable(
    uniqueList(feedSpec(), feed => feed.name),
    [
      'coindesk=https://www.coindesk.com/arc/outboundfeeds/rss/',
      'cointelegraph=https://cointelegraph.com/rss',
      'decrypt=https://decrypt.co/feed',
      'bitcoinmagazine=https://bitcoinmagazine.com/feed',
      'theblock=https://www.theblock.co/rss.xml',
      'cryptoslate=https://cryptoslate.com/feed/',
      'blockworks=https://blockworks.co/feed',
      'dlnews=https://www.dlnews.com/arc/outboundfeeds/rss/'
    ].join(','),
    'RSS/Atom feeds to poll, comma-separated name=url (optionally name=url|seconds for its own interval).'
  ),
  NEWS_POLL_INTERVAL_S: variable(
    integer(10, 86_400),
    '180',
    'Default poll interval of each feed, seconds (conditional GETs: ETag / If-Modified-Since).'
  ),
  NEWS_FETCH_TIMEOUT_MS: variable(integer(1_000, 120_000), '15000', 'Timeout of one feed request.'),
  NEWS_USER_AGENT: variable(
    text(),
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 crypto-viz/0.1',
    'User-Agent of feed requests (some sites answer 403 to non-browser agents).'
  ),
  NEWS_SEEN_RETENTION_DAYS: variable(
    integer(1, 3_650),
    '30',
    'How long the persisted seen-set remembers an article (restarts within it republish nothing).'
  ),
  NEWS_SKIP_SPONSORED: variable(
    boolean(),
    'false',
    'Drop sponsored items and press releases instead of publishing them with sponsored=true.'
  )
} as const satisfies Record<string, Variable<unknown>>

export type VariableName = keyof typeof variables
export type VariableValues = {
  -readonly [K in VariableName]: ReturnType<(typeof variables)[K]['parser']['parse']>
}
