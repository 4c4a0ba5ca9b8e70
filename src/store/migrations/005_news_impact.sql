-- News impact (analytics role): how the price and the volume of a symbol moved after an article that
-- mentions its coin, per horizon, measured on the stored one-minute candles (docs/impact.md).
-- One row per (article, symbol, horizon), so that "the largest moves at 30m" is one index scan.
create table article_impact (
  article_id    text        not null references articles (id) on delete cascade,
  symbol        text        not null,
  horizon       text        not null check (horizon in ('5m', '30m', '2h', '24h')),
  published_at  timestamptz not null,            -- the article's, copied in for ranges and sorting
  window_end    timestamptz not null,            -- floor_minute(published + horizon): the last candle read starts before it
  p0            numeric,                         -- close before the publication minute; null: no candle in the 24 h before
  p_h           numeric,                         -- close before window_end (so far, while provisional)
  return_h      numeric,                         -- p_h / p0 - 1, 12 decimals
  sigma         double precision,                -- standard deviation of 1m log returns in the 24 h before (>= 30 returns)
  abnormal      numeric,                         -- return_h / (sigma * sqrt(horizon in minutes)), 6 decimals
  volume_ratio  numeric,                         -- volume in the window over the 24 h average of an equal window, 6 decimals
  final         boolean     not null,            -- window closed beyond the analytics lateness: no trade can change it
  computed_at   timestamptz not null default now(),
  primary key (article_id, symbol, horizon)
);
-- The rows a symbol's candles can still change (recomputed as its minutes close).
create index article_impact_pending on article_impact (symbol, window_end) where not final;
create index article_impact_horizon_published on article_impact (horizon, published_at desc);
create index article_impact_horizon_abnormal on article_impact (horizon, abs(abnormal) desc nulls last);
