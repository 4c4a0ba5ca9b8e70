-- Trades keep one index instead of two. The primary key was (symbol, trade_id, ts) beside an index
-- on (symbol, ts desc); a key on (symbol, ts, trade_id) is unique exactly when the old one was (the
-- same columns), still has the time column hypertables require, and serves the reads by symbol and
-- time (newest first, paged by (ts, trade_id)) by itself. Every trade written maintained both
-- b-trees: measured on one connection, this takes PostgreSQL's cost of an insert from about 14 to
-- 11 µs per trade (bench/README.md).
--
-- TimescaleDB cannot change the constraints of a hypertable that has compressed chunks; there the
-- trades table keeps its two indexes (correct, only slower to write), and says so.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'timescaledb') then
    if exists (select 1 from timescaledb_information.chunks where hypertable_name = 'trades' and is_compressed) then
      raise notice 'trades has compressed chunks: its primary key stays (symbol, trade_id, ts) with the (symbol, ts) index';
      return;
    end if;
  end if;
  alter table trades drop constraint trades_pkey;
  alter table trades add primary key (symbol, ts, trade_id);
  drop index trades_symbol_ts;
end
$$;
