/**
 * The `ingest` role: one consumer group over the raw topics (tickers, trades, articles, alerts, and
 * the optional ohlc and book channels) that stores every valid record in PostgreSQL.
 *
 * Per batch (bounded by INGEST_BATCH_MAX_RECORDS and INGEST_BATCH_MAX_WAIT_MS): decode and check every
 * record; write all valid ones in one transaction with idempotent upserts on natural keys; publish
 * the invalid ones to the dead-letter topic with reason and origin; only then let the bus commit the
 * offsets. A database that goes away makes the batch fail with a retryable error: the bus retries the
 * same records with backoff and consumption pauses, the health check turns down, and when the
 * database returns the batch is written once (upserts absorb any repeat).
 */
import type { ConsumedRecord } from '../../bus/bus.ts'
import { describeError, isCryptoVizError } from '../../errors/errors.ts'
import { nowIsoMicros } from '../../lib/time.ts'
import type { Role, RoleContext, RunningRole } from '../../role/role.ts'
import { deadLetter } from '../../bus/dead-letter.ts'
import type { Database } from '../../store/database.ts'
import { BatchHealth } from '../batch-health.ts'
import { type Decoded, type Rejected, decodeRecord, groupDecoded } from '../decode.ts'
import { type JobTopics, type RecordKind, jobTopics, kindsByTopic } from '../job-topics.ts'
import { LivePublisher } from '../live-publisher.ts'
import { alertEvents, articleEvents, tickerEvents, tradeEvents } from '../live-shapes.ts'
import { type IngestMetrics, ingestMetrics } from './ingest-metrics.ts'
import { storeBatch } from './store-batch.ts'
import { TradeLanes } from './trade-lanes.ts'
import type { TradeV1 } from '../../schemas/trade.v1.ts'

export interface IngestRoleOptions {
  /** Topics to read and dead-letter to (defaults: the declared topics). */
  topics?: Partial<JobTopics>
  /** Consumer group (default: INGEST_GROUP_ID). */
  groupId?: string
}

const INGESTED: readonly RecordKind[] = ['ticker', 'trade', 'article', 'alert', 'ohlc', 'book']
/** Records decoded before their trades are handed to the write lanes. */
const SLICE = 1_000

class IngestJob {
  readonly #context: RoleContext
  readonly #db: Database
  readonly #topics: JobTopics
  readonly #kinds: Map<string, RecordKind>
  readonly #metrics: IngestMetrics
  readonly #health = new BatchHealth()
  readonly #live: LivePublisher

  constructor(context: RoleContext, db: Database, topics: JobTopics) {
    this.#context = context
    this.#db = db
    this.#topics = topics
    this.#kinds = kindsByTopic(topics, INGESTED)
    this.#metrics = ingestMetrics(context.metrics)
    this.#live = new LivePublisher(context.live, this.#metrics.liveFailures, context.log)
  }

  get health(): BatchHealth {
    return this.#health
  }

  get topicNames(): string[] {
    return [...this.#kinds.keys()]
  }

  async handle(batch: readonly ConsumedRecord[]): Promise<void> {
    const started = performance.now()
    const trades: Decoded[] = []
    const others: Decoded[] = []
    const rejected: Rejected[] = []
    // A small batch (low rates) is one slice: one lane, one transaction, the fewest round trips.
    const lanes = new TradeLanes(
      this.#db,
      Math.min(this.#context.config.ingest.writeLanes, Math.ceil(batch.length / SLICE))
    )
    for (let from = 0; from < batch.length; from += SLICE) {
      const slice: TradeV1[] = []
      for (const record of batch.slice(from, from + SLICE)) {
        const kind = this.#kinds.get(record.topic)
        if (kind === undefined) continue
        const decoded = decodeRecord(kind, record)
        if (decoded.kind === 'rejected') rejected.push(decoded)
        else if (decoded.kind === 'trade') {
          trades.push(decoded)
          slice.push(decoded.value)
        } else others.push(decoded)
      }
      lanes.add(slice)
      // Let the lanes send what is queued while the next slice is decoded.
      if (from + SLICE < batch.length) await new Promise(resolve => setImmediate(resolve))
    }
    const { inserted, newAlerts, refused } = await storeBatch(this.#db, lanes, trades, others)
    const committedAt = Date.now()
    this.#metrics.writeSeconds.observe((performance.now() - started) / 1000)
    const dead = [...rejected, ...refused]
    if (dead.length > 0) await this.#deadLetter(dead)
    const valid = [...trades, ...others]
    this.#account(batch.length, valid, inserted, dead, committedAt)
    this.#announce(valid, refused, newAlerts)
  }

  async #deadLetter(dead: readonly Rejected[]): Promise<void> {
    await this.#context.bus.publish(
      dead.map(d => ({
        ...deadLetter(d.record, { reason: d.error.message, code: d.error.code, failedBy: 'ingest' }),
        topic: this.#topics.deadLetter
      }))
    )
    for (const d of dead.slice(0, 5)) {
      this.#context.log.warn(
        {
          topic: d.record.topic,
          partition: d.record.partition,
          offset: d.record.offset.toString(),
          reason: d.error.message
        },
        'record dead-lettered'
      )
    }
  }

  #account(
    size: number,
    valid: readonly Decoded[],
    inserted: ReadonlyMap<RecordKind, number>,
    dead: readonly Rejected[],
    committedAt: number
  ): void {
    const m = this.#metrics
    m.batches.observe(size)
    m.lastBatch.set(committedAt / 1000)
    const refused = new Set(dead.map(d => d.record))
    const stored = new Map<string, number>()
    let newest: number | undefined
    for (const { kind, record, value } of valid) {
      if (refused.has(record)) continue
      stored.set(record.topic, (stored.get(record.topic) ?? 0) + 1)
      if (kind === 'trade' || kind === 'ticker') {
        // Millisecond precision is plenty for a latency histogram, and Date.parse is cheap.
        const received = Date.parse(value.receivedAt)
        if (Number.isNaN(received)) continue
        m.latency.observe({ topic: record.topic }, Math.max(0, committedAt - received) / 1000)
        newest = Math.max(newest ?? 0, received)
      }
    }
    for (const [topic, count] of stored) {
      const kind = this.#kinds.get(topic)
      const counted = kind === 'trade' || kind === 'ticker' || kind === 'alert'
      const fresh = counted ? (inserted.get(kind) ?? count) : count
      m.records.inc({ topic, outcome: 'stored' }, fresh)
      if (count > fresh) m.records.inc({ topic, outcome: 'duplicate' }, count - fresh)
    }
    for (const d of dead) m.records.inc({ topic: d.record.topic, outcome: 'dead_lettered' })
    this.#health.succeeded(size, newest)
  }

  #announce(valid: readonly Decoded[], refused: readonly Rejected[], newAlerts: ReadonlySet<string>): void {
    const skip = new Set(refused.map(r => r.record))
    const ok = valid.filter(v => !skip.has(v.record))
    const groups = groupDecoded(ok)
    // An alert is news once: one published again (an analytics crash after publishing, a redelivery)
    // was stored before and would pop up again on the dashboard. The first record of an id is stored.
    const unseen = new Set(newAlerts)
    const alerts = groups.alert.filter(a => unseen.delete(a.id))
    const storedAt = nowIsoMicros()
    this.#live.announce([
      ...tradeEvents(groups.trade, this.#context.config.ingest.liveTradesPerSymbol, storedAt),
      ...tickerEvents(groups.ticker, storedAt),
      ...articleEvents(groups.article, storedAt),
      ...alertEvents(alerts, storedAt)
    ])
  }

  failed(error: unknown, attempt: number, records: number): void {
    this.#metrics.failures.inc({ code: isCryptoVizError(error) ? error.code : 'unexpected' })
    this.#health.failed(error, attempt, records)
  }
}

export function createIngestRole(options: IngestRoleOptions = {}): Role {
  return {
    name: 'ingest',
    async start(context: RoleContext): Promise<RunningRole> {
      const { config, log } = context
      const db = await context.database()
      const job = new IngestJob(context, db, jobTopics(options.topics))
      context.health.register('ingest', () => job.health.check())
      const subscription = await context.bus.subscribe({
        groupId: options.groupId ?? config.ingest.groupId,
        topics: job.topicNames,
        maxBatchRecords: config.ingest.batchMaxRecords,
        maxBatchWaitMs: config.ingest.batchMaxWaitMs,
        retryBackoffMs: { min: 200, max: 10_000 },
        handler: batch => job.handle(batch),
        onHandlerError: (error, attempt, batch) => {
          job.failed(error, attempt, batch.length)
          if (attempt === 1 || attempt % 10 === 0) {
            log.warn(
              { err: describeError(error), attempt, records: batch.length },
              'ingest batch failed; retrying'
            )
          }
        }
      })
      log.info({ group: subscription.groupId, topics: job.topicNames }, 'ingest consuming')
      return {
        async stop() {
          await subscription.close()
          context.health.unregister('ingest')
        }
      }
    }
  }
}

/** The role with its configured defaults, for `crypto-viz ingest` and for running beside others. */
export const ingestRole: Role = createIngestRole()
