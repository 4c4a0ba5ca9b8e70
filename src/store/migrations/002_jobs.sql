-- Stream jobs' bookkeeping (additive: nothing in 001 changes meaning).

-- Per-key state a stateful job commits in the same transaction as its outputs and its offsets
-- (job_offsets), e.g. the analytics job's event-time watermark and recently seen trade ids per
-- symbol. On (re)assignment of a partition, the job reloads the state of the keys in it from here.
create table job_state (
  job          text        not null,
  topic        text        not null,
  partition    integer     not null,
  key          text        not null,              -- symbol
  state        jsonb       not null,
  updated_at   timestamptz not null default now(),
  primary key (job, topic, key)
);
create index job_state_partition on job_state (job, topic, partition);

-- What a spread bucket needs to keep absorbing late tickers after a restart exactly as it would
-- have without one: the event time of the ticker that set the close, and the exact float sum the
-- average is taken from (avg × samples would not give back the same bits).
alter table spreads add column close_ts timestamptz;
alter table spreads add column spread_sum_bps double precision;
