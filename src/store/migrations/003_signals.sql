-- Deeper news and market signals (additive: nothing in 001/002 changes meaning).

-- Buy/sell pressure, stored beside the candles it is computed with (one upsert, one row per bucket).
-- The taker sell side is the candle's total minus the buy side, exactly. Rows written before this
-- migration have no per-side counts (null); their imbalance is derived from the stored volumes.
alter table candles add column buy_trades integer;          -- taker-buy trades (sell: trades - buy_trades)
alter table candles add column buy_quote_volume numeric;    -- taker-buy Σ price × qty (sell: quote_volume - this)
alter table candles add column imbalance numeric;           -- (buy - sell) / (buy + sell) volume, 12 decimals, half-even

create view pressure as
select symbol, interval, bucket, buy_volume, sell_volume,
       coalesce(imbalance, round((buy_volume - sell_volume) / nullif(buy_volume + sell_volume, 0), 12)) as imbalance,
       buy_trades, trades - buy_trades as sell_trades,
       buy_quote_volume, quote_volume - buy_quote_volume as sell_quote_volume,
       trades, volume, quote_volume
  from candles;

-- Article bodies fetched from the pages become searchable (weight C, after title A and summary B).
-- A tsvector is limited to 1 MB, so only the first 100,000 characters of a body are indexed.
alter table articles drop column search;
alter table articles add column search tsvector generated always as (
  setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
  setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
  setweight(to_tsvector('english', left(coalesce(content, ''), 100000)), 'C')
) stored;
create index articles_search on articles using gin (search);
