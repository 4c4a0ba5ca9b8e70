-- CRYPTO VIZ core schema. Plain PostgreSQL (15+, and PGlite): the TimescaleDB layer
-- (src/store/timescale/) turns the time-series tables into hypertables when the extension exists.
-- Every time-series table's primary key includes its time column, as hypertables require, and is
-- the natural key that makes writes idempotent upserts.
-- Prices and quantities are numeric (exact); times are timestamptz (µs).

-- Raw market data (ingest role) -----------------------------------------------------------------

create table trades (
  symbol       text        not null,
  trade_id     bigint      not null,
  ts           timestamptz not null,            -- exchange time
  price        numeric     not null,
  qty          numeric     not null,
  side         text        not null check (side in ('buy', 'sell')),   -- taker side
  ord_type     text        not null check (ord_type in ('market', 'limit')),
  received_at  timestamptz not null,            -- when the producer received it
  source       text        not null check (source in ('ws', 'rest')),
  ingested_at  timestamptz not null default now(),
  primary key (symbol, trade_id, ts)
);
create index trades_symbol_ts on trades (symbol, ts desc);

create table tickers (
  symbol       text        not null,
  ts           timestamptz not null,            -- exchange time, or receive time when the venue sent none
  bid          numeric     not null,
  bid_qty      numeric     not null,
  ask          numeric     not null,
  ask_qty      numeric     not null,
  last         numeric     not null,
  volume_24h   numeric     not null,
  vwap_24h     numeric     not null,
  low_24h      numeric     not null,
  high_24h     numeric     not null,
  change_24h   numeric     not null,
  change_pct_24h numeric   not null,
  received_at  timestamptz not null,
  ingested_at  timestamptz not null default now(),
  primary key (symbol, ts)
);
create index tickers_ts on tickers (ts desc);

-- Kraken's own candles (WS ohlc channel, REST backfill), a reference beside ours.
create table exchange_candles (
  symbol       text        not null,
  interval_min integer     not null,
  bucket       timestamptz not null,
  open         numeric     not null,
  high         numeric     not null,
  low          numeric     not null,
  close        numeric     not null,
  vwap         numeric     not null,
  volume       numeric     not null,
  trades       integer     not null,
  final        boolean     not null,
  received_at  timestamptz not null,
  primary key (symbol, interval_min, bucket)
);

create table book_tops (
  symbol       text        not null,
  ts           timestamptz not null,
  depth        integer     not null,
  bids         jsonb       not null,             -- [[price, qty], …] best first, lexemes as text
  asks         jsonb       not null,
  checksum     bigint      not null,
  received_at  timestamptz not null,
  primary key (symbol, ts)
);

-- News (ingest role) -----------------------------------------------------------------------------

create table articles (
  id           text        primary key,          -- sha-256 prefix of the canonical URL
  source       text        not null,
  feed_url     text        not null,
  url          text        not null,
  title        text        not null,
  summary      text        not null,
  content      text,
  extraction_status text,
  extraction_reason text,
  authors      text[]      not null default '{}',
  categories   text[]      not null default '{}',
  image_url    text,
  published_at timestamptz not null,
  published_at_estimated boolean not null,
  sponsored    boolean     not null default false,
  fetched_at   timestamptz not null,
  ingested_at  timestamptz not null default now(),
  search       tsvector generated always as (
                 setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                 setweight(to_tsvector('english', coalesce(summary, '')), 'B')
               ) stored
);
create index articles_published on articles (published_at desc);
create index articles_source_published on articles (source, published_at desc);
create index articles_search on articles using gin (search);

-- Coin mentions, with the publication time copied in so "articles about BTC in a range" is one index scan.
create table article_coins (
  article_id   text        not null references articles (id) on delete cascade,
  code         text        not null,
  mentions     integer     not null,
  in_title     boolean     not null,
  published_at timestamptz not null,
  primary key (article_id, code)
);
create index article_coins_code_published on article_coins (code, published_at desc);

-- Analytics outputs (analytics role) -------------------------------------------------------------

-- OHLCV candles computed from trades, in event time. interval is one of 1m, 5m, 15m, 1h, 1d.
create table candles (
  symbol       text        not null,
  interval     text        not null,
  bucket       timestamptz not null,            -- start of the interval
  open         numeric     not null,
  high         numeric     not null,
  low          numeric     not null,
  close        numeric     not null,
  volume       numeric     not null,            -- base currency
  quote_volume numeric     not null,            -- sum(price * qty): VWAP = quote_volume / volume
  vwap         numeric     not null,
  trades       integer     not null,
  buy_volume   numeric     not null,            -- taker buys
  sell_volume  numeric     not null,            -- taker sells
  first_trade_id bigint    not null,
  last_trade_id  bigint    not null,
  updated_at   timestamptz not null default now(),
  primary key (symbol, interval, bucket)
);
create index candles_interval_bucket on candles (interval, bucket desc);

-- Indicator values over candles, one row per (series point, indicator), e.g. name = 'sma_20',
-- 'ema_20', 'rsi_14', 'bb_upper_20_2', 'volatility_20'. Narrow so new indicators need no migration.
create table indicators (
  symbol       text        not null,
  interval     text        not null,
  bucket       timestamptz not null,
  name         text        not null,
  value        double precision not null,
  primary key (symbol, interval, name, bucket)
);

-- Spread and mid from tickers, aggregated per interval.
create table spreads (
  symbol       text        not null,
  interval     text        not null,
  bucket       timestamptz not null,
  mid_close    numeric     not null,
  spread_close numeric     not null,
  spread_avg_bps double precision not null,
  spread_max_bps double precision not null,
  samples      integer     not null,
  primary key (symbol, interval, bucket)
);

-- Sentiment of each article (lexicon-based; score in [-1, 1]).
create table article_sentiment (
  article_id   text        primary key references articles (id) on delete cascade,
  score        double precision not null,
  label        text        not null check (label in ('positive', 'neutral', 'negative')),
  positive_terms text[]    not null default '{}',
  negative_terms text[]    not null default '{}',
  model        text        not null,
  computed_at  timestamptz not null default now()
);

-- Rolling sentiment index per coin (code = 'BTC', …) and overall (code = '*').
create table sentiment_series (
  code         text        not null,
  interval     text        not null,
  bucket       timestamptz not null,
  articles     integer     not null,
  score_sum    double precision not null,
  score_avg    double precision not null,
  index_value  double precision not null,      -- the rolling (EWMA) index at the end of the bucket
  primary key (code, interval, bucket)
);

create table alerts (
  id           text        primary key,
  rule         text        not null,
  kind         text        not null,
  symbol       text        not null,
  severity     text        not null check (severity in ('info', 'warning', 'critical')),
  title        text        not null,
  message      text        not null,
  value        double precision not null,
  threshold    double precision not null,
  event_ts     timestamptz not null,
  raised_at    timestamptz not null,
  details      jsonb       not null default '{}',
  ingested_at  timestamptz not null default now()
);
create index alerts_event on alerts (event_ts desc);
create index alerts_symbol_event on alerts (symbol, event_ts desc);
create index alerts_kind_event on alerts (kind, event_ts desc);

-- Pipeline bookkeeping ---------------------------------------------------------------------------

-- Offsets a job stored in the same transaction as its outputs (exactly-once effects for stateful
-- jobs: on assignment a job resumes from here and skips redelivered records below it).
create table job_offsets (
  job          text        not null,
  topic        text        not null,
  partition    integer     not null,
  next_offset  bigint      not null,
  updated_at   timestamptz not null default now(),
  primary key (job, topic, partition)
);

-- Each running role instance reports its state here every few seconds (API: pipeline status).
create table pipeline_heartbeats (
  role         text        not null,
  instance     text        not null,
  started_at   timestamptz not null,
  updated_at   timestamptz not null,
  status       text        not null check (status in ('up', 'degraded', 'down')),
  details      jsonb       not null default '{}',
  primary key (role, instance)
);
