/**
 * Every environment variable the program reads, with its parser, default and documentation. This
 * table is the single source: config.ts builds the typed configuration from it, and a test checks
 * that .env.example and the README document exactly these names.
 */
import {
  boolean,
  decimal,
  hostPort,
  integer,
  integerOrAuto,
  integerOneOf,
  list,
  number,
  oneOf,
  optionalSecret,
  originList,
  text,
  uniqueList,
  url
} from './parsers.ts'
import { signalVariables } from './signal-variables.ts'
import { topicVariables } from './topic-variables.ts'
import { feedSpec, historyIntervals, krakenSymbol } from './source-parsers.ts'
import { type Variable, variable } from './variable.ts'

export const variables = {
  LOG_LEVEL: variable(
    oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'),
    'info',
    'Structured (JSON) log level. Setting it makes `npm start` write the JSON logs on stderr instead of its console view (which keeps them in DATA_DIR/logs/crypto-viz.log).'
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
  LAG_POLL_INTERVAL_MS: variable(
    integer(0, 3_600_000),
    '10000',
    "How often a consuming role reads its consumer groups' lag per partition for /metrics (0: never)."
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

  ...topicVariables,

  DATABASE_URL: variable(
    url(['postgres:', 'postgresql:']),
    'postgres://cryptoviz:cryptoviz@127.0.0.1:5432/cryptoviz',
    'PostgreSQL/TimescaleDB connection URL. `npm start` uses it only when set; otherwise the embedded PGlite in DATA_DIR/embedded/pg (commands of a single role always use it).'
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
    'Redis URL for the API cache and the live-events fan-out. `npm start` uses it only when set; otherwise both stay in memory (commands of a single role always use it).'
  ),

  REDIS_KEY_PREFIX: variable(
    text(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (up to 64, no colon)'),
    'cryptoviz',
    "Prefix of every Redis key and pub/sub channel (`<prefix>:cache:v1:…`, `<prefix>:live:…`), so that several deployments (staging and production, two teams) can share one Redis without serving each other's data."
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
    'Origins allowed to call the API from a browser and to open its live WebSocket, besides the same origin: empty for none (the dashboard is same-origin), * for any.'
  ),
  API_EXPOSE_OPS: variable(
    boolean(),
    'false',
    'Also serve /metrics and the detailed /health/ready report on the API port. Off: they are on the ops endpoint only (OPS_HOST:OPS_PORT), and the API port answers /health/live and a bare readiness status.'
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
  API_CURSOR_KEY: variable(
    optionalSecret(),
    '',
    "Key that signs the API's page cursors (HMAC), so that a cursor cannot be altered or made up. Empty: a random key per process, so cursors last as long as the process; set the same key on every API instance of a deployment when clients page across instances or restarts."
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
  ),

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
  ANALYTICS_WORKERS: variable(
    integerOrAuto(1, 16),
    'auto',
    'Members of the consumer group in one analytics process, each with its own state and database connections: the main thread and ANALYTICS_WORKERS − 1 worker threads; auto: one per core, at most one per partition (TOPIC_PARTITIONS). 1 keeps everything on the main thread; the embedded bus and database always use one.'
  ),
  ANALYTICS_WORKER_HEAP_MB: variable(
    integer(0, 65_536),
    '1024',
    "Old-space heap limit of each analytics worker thread in MiB (0: none, V8's own sizing for the host, which on a large host lets each heap grow to several hundred MiB). `crypto-viz analytics` gives its main thread the same (it restarts itself with --max-old-space-size unless NODE_OPTIONS or its command line chose a heap). Lower limits cost CPU: V8 collects a small old space more often (256: about 20 % more CPU per trade); a worker that exceeds it dies (the role reports it)."
  ),
  ANALYTICS_WORKER_YOUNG_MB: variable(
    integer(0, 4_096),
    '48',
    "Young-generation size of each analytics worker thread in MiB (0: Node's default, which on a large host takes 64 MiB semi-spaces and keeps resident memory high; 48 is what --max-semi-space-size=16 gives the main thread)."
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
  ),

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
  KRAKEN_HISTORY_INTERVALS: variable(
    historyIntervals(),
    '1,15,60,1440,5',
    "Candle intervals (minutes) the producer loads from Kraken's REST OHLC at start-up, in this order (Kraken keeps the 720 most recent of each: 12 h of 1m, 30 days of 1h, 2 years of 1d); resumes from DATA_DIR/history after a gap; none turns it off."
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
  ),
  ...signalVariables
} as const satisfies Record<string, Variable<unknown>>

export type VariableName = keyof typeof variables
export type VariableValues = {
  -readonly [K in VariableName]: ReturnType<(typeof variables)[K]['parser']['parse']>
}
