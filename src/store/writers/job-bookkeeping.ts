/**
 * Offsets and per-key state a stateful job commits in the same transaction as its outputs
 * (job_offsets from 001, job_state from 002): after a crash or a rebalance, whoever owns a
 * partition next resumes from exactly what was committed, and skips records it already applied.
 */
import type { Queryable } from '../database.ts'
import { columns } from './sql-arrays.ts'

export interface PartitionRef {
  topic: string
  partition: number
}

export interface PartitionOffset extends PartitionRef {
  nextOffset: number
}

/** Creates missing offset rows at 0, so that the first writer of a partition has a row to lock. */
export async function ensureJobOffsets(
  q: Queryable,
  job: string,
  partitions: readonly PartitionRef[]
): Promise<void> {
  if (partitions.length === 0) return
  await q.query(
    `insert into job_offsets (job, topic, partition, next_offset)
     select $1, t, p, 0 from unnest($2::text[], $3::int4[]) as x(t, p)
     on conflict do nothing`,
    [job, partitions.map(p => p.topic), partitions.map(p => p.partition)]
  )
}

export async function readJobOffsets(
  q: Queryable,
  job: string,
  partitions: readonly PartitionRef[],
  options: { forUpdate?: boolean } = {}
): Promise<PartitionOffset[]> {
  if (partitions.length === 0) return []
  const { rows } = await q.query<PartitionOffset>(
    `select o.topic, o.partition, o.next_offset as "nextOffset"
       from job_offsets o join unnest($2::text[], $3::int4[]) as x(t, p) on o.topic = x.t and o.partition = x.p
      where o.job = $1
      order by o.topic, o.partition
      ${options.forUpdate === true ? 'for update of o' : ''}`,
    [job, partitions.map(p => p.topic), partitions.map(p => p.partition)]
  )
  return rows
}

export async function writeJobOffsets(
  q: Queryable,
  job: string,
  offsets: readonly PartitionOffset[]
): Promise<void> {
  if (offsets.length === 0) return
  await q.query(
    `insert into job_offsets (job, topic, partition, next_offset)
     select $1, t, p, o from unnest($2::text[], $3::int4[], $4::int8[]) as x(t, p, o)
     on conflict (job, topic, partition) do update set next_offset = excluded.next_offset, updated_at = now()`,
    [job, ...columns(offsets, 3, o => [o.topic, o.partition, o.nextOffset])]
  )
}

export interface KeyState extends PartitionRef {
  key: string
  state: unknown
}

export async function writeJobState(q: Queryable, job: string, states: readonly KeyState[]): Promise<void> {
  if (states.length === 0) return
  await q.query(
    `insert into job_state (job, topic, partition, key, state)
     select $1, t, p, k, s from unnest($2::text[], $3::int4[], $4::text[], $5::jsonb[]) as x(t, p, k, s)
     on conflict (job, topic, key) do update set partition = excluded.partition, state = excluded.state,
       updated_at = now()`,
    [job, ...columns(states, 4, s => [s.topic, s.partition, s.key, JSON.stringify(s.state)])]
  )
}

export async function readJobState(
  q: Queryable,
  job: string,
  partitions: readonly PartitionRef[]
): Promise<KeyState[]> {
  if (partitions.length === 0) return []
  const { rows } = await q.query<KeyState>(
    `select s.topic, s.partition, s.key, s.state
       from job_state s join unnest($2::text[], $3::int4[]) as x(t, p) on s.topic = x.t and s.partition = x.p
      where s.job = $1
      order by s.key`,
    [job, partitions.map(p => p.topic), partitions.map(p => p.partition)]
  )
  return rows
}
