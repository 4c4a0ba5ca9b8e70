/**
 * The pipeline's status, per stage: up/down from the heartbeats every process sends (heartbeats.ts),
 * the last event time and throughput the stages report in their health checks (`data.lastEventAt`,
 * `data.throughputPerSec`), falling back to the freshness of the data they store; Kafka consumer lag
 * per group and partition; and the producers' own checks (their connections to the exchange and the
 * feeds). Lag is read at most every `lagRefreshMs` and never holds the answer longer than
 * `lagTimeoutMs`: a broker that does not answer shows as unavailable, it does not stall the API.
 */
import { describeError } from '../../errors/errors.ts'
import type { CheckResult } from '../../ops/health.ts'
import { type SourcesStatus, readSources } from '../../ops/source-status.ts'
import type { Freshness } from '../../store/queries/freshness.ts'
import type { HeartbeatBook, InstanceState } from './heartbeats.ts'
import type { GroupLag, LagReader } from './consumer-lag.ts'

export const Stages = ['produce', 'ingest', 'analytics', 'api'] as const

/** Which stored data shows each stage's progress when its heartbeats do not say. */
const stageData: Record<string, (keyof Freshness)[]> = {
  ingest: ['trades', 'tickers', 'articles'],
  analytics: ['candles', 'sentiment', 'alerts']
}

export interface StageStatus {
  stage: string
  status: 'up' | 'degraded' | 'down'
  lastEventAt: string | null
  throughputPerSec: number | null
  instances: {
    instance: string
    role: string
    status: 'up' | 'degraded' | 'down'
    startedAt: string
    lastHeartbeatAt: string
    checks: Record<string, CheckResult & { critical: boolean }>
  }[]
}

export interface KafkaStatus {
  available: boolean
  error: string | null
  checkedAt: string | null
  groups: GroupLag[]
}

export interface PipelineStatusBody {
  generatedAt: string
  stages: StageStatus[]
  data: Freshness | null
  dataError: string | null
  kafka: KafkaStatus
  /** The producers' connections (Kraken, news) and a banner sentence when live data is not coming. */
  sources: SourcesStatus
}

export interface PipelineStatusOptions {
  heartbeats: HeartbeatBook
  freshness: () => Promise<Freshness>
  lag?: LagReader | undefined
  lagRefreshMs?: number
  lagTimeoutMs?: number
}

const latest = (values: (string | null | undefined)[]): string | null =>
  values.reduce<string | null>(
    (best, value) => (typeof value === 'string' && (best === null || value > best) ? value : best),
    null
  )

/**
 * What the stages' health checks say, by convention: `data.lastEventAt` (ISO time of the newest event
 * handled) or `data.newestEventAgeSeconds` (its age when the heartbeat was sent), else
 * `data.lastBatchAt` (when the stage last finished a batch: a job whose records carry no time of
 * their own still shows when it last worked); and `data.throughputPerSec`, else the rate of the
 * cumulative `data.recordsHandled` between heartbeats.
 */
function lastEventTimes(instance: InstanceState): string[] {
  const sentAt = Date.parse(instance.lastHeartbeatAt)
  return Object.values(instance.health.checks).flatMap(check => {
    const data = check.data ?? {}
    if (typeof data.lastEventAt === 'string') return [data.lastEventAt]
    if (typeof data.newestEventAgeSeconds === 'number' && Number.isFinite(sentAt))
      return [new Date(sentAt - data.newestEventAgeSeconds * 1000).toISOString()]
    if (typeof data.lastBatchAt === 'string') return [data.lastBatchAt]
    return []
  })
}

function throughput(instance: InstanceState): number | null {
  const reported = Object.values(instance.health.checks)
    .map(check => check.data?.throughputPerSec)
    .filter((v): v is number => typeof v === 'number')
  return reported.length > 0 ? reported.reduce((a, b) => a + b, 0) : instance.recordsPerSec
}

export function stageStatus(stage: string, instances: InstanceState[], data: Freshness | null): StageStatus {
  const mine = instances.filter(i => i.role.split('+').includes(stage))
  const live = mine.filter(i => i.status !== 'down')
  const throughputs = live.map(throughput).filter((v): v is number => v !== null)
  const reported = latest(mine.flatMap(lastEventTimes))
  const stored = data === null ? null : latest((stageData[stage] ?? []).map(key => data[key]))
  return {
    stage,
    status: live.some(i => i.status === 'up') ? 'up' : live.length > 0 ? 'degraded' : 'down',
    lastEventAt: reported ?? stored,
    throughputPerSec: throughputs.length === 0 ? null : throughputs.reduce((a, b) => a + b, 0),
    instances: mine.map(i => ({
      instance: i.instance,
      role: i.role,
      status: i.status,
      startedAt: i.startedAt,
      lastHeartbeatAt: i.lastHeartbeatAt,
      checks: i.health.checks
    }))
  }
}

/**
 * From the producers' heartbeats: the one with something to say wins (one producer is usual). A
 * producer down because it cannot reach Kraken still speaks; one that stopped sending does not.
 */
export function sourcesStatus(instances: readonly InstanceState[]): SourcesStatus {
  const heard = instances
    .filter(i => !i.silent && i.role.split('+').includes('produce'))
    .map(i => readSources(i.health.checks))
  return (
    heard.find(s => s.notice !== null) ?? heard[0] ?? { mode: null, kraken: null, news: null, notice: null }
  )
}

export class PipelineStatus {
  readonly #options: PipelineStatusOptions
  #kafka: KafkaStatus = { available: false, error: 'not checked yet', checkedAt: null, groups: [] }
  #lagReadAt = -Infinity
  #lagReading: Promise<void> | undefined

  constructor(options: PipelineStatusOptions) {
    this.#options = options
  }

  async read(): Promise<PipelineStatusBody> {
    const [data] = await Promise.all([
      this.#options.freshness().then(
        value => ({ value, error: null }),
        (error: unknown) => ({ value: null, error: describeError(error) })
      ),
      this.#refreshLag()
    ])
    const instances = this.#options.heartbeats.instances()
    const roles = new Set<string>(Stages)
    for (const instance of instances) for (const role of instance.role.split('+')) roles.add(role)
    return {
      generatedAt: new Date().toISOString(),
      stages: [...roles].map(stage => stageStatus(stage, instances, data.value)),
      data: data.value,
      dataError: data.error,
      kafka: this.#kafka,
      sources: sourcesStatus(instances)
    }
  }

  /** Refreshes the lag when older than the refresh period; waits at most the timeout for it. */
  async #refreshLag(): Promise<void> {
    const lag = this.#options.lag
    if (lag === undefined) {
      this.#kafka = { available: false, error: 'no Kafka lag reader configured', checkedAt: null, groups: [] }
      return
    }
    if (performance.now() - this.#lagReadAt < (this.#options.lagRefreshMs ?? 5_000)) return
    this.#lagReading ??= lag()
      .then(
        groups =>
          (this.#kafka = { available: true, error: null, checkedAt: new Date().toISOString(), groups }),
        (error: unknown) =>
          (this.#kafka = {
            available: false,
            error: `Kafka lag unavailable: ${describeError(error)}`,
            checkedAt: new Date().toISOString(),
            groups: []
          })
      )
      .then(() => {
        this.#lagReadAt = performance.now()
        this.#lagReading = undefined
      })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.#lagReading,
      new Promise<void>(resolve => (timer = setTimeout(resolve, this.#options.lagTimeoutMs ?? 3_000)))
    ])
    clearTimeout(timer)
  }
}
