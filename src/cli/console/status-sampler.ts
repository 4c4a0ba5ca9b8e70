/**
 * Reads what the status line shows from the running process, through the same ports everything
 * else uses: the bus's inspector (end offsets per topic → events per second; the stages' consumer
 * groups → lag) and the health checks (the producers' connections). Rates are averaged over the
 * last few seconds so a bursty market does not make the line flicker.
 */
import type { BusInspector } from '../../bus/bus.ts'
import type { Health } from '../../ops/health.ts'
import { type SourcesStatus, readSources } from '../../ops/source-status.ts'
import type { HistoryProgress } from '../../sources/kraken/history-fill.ts'
import { historySegment, readHistory } from './history-progress.ts'
import type { StatusSnapshot } from './status-line.ts'

export interface SampledTopic {
  topic: string
  label: string
  /** Shown only once it has records (optional channels, dead letters). */
  optional?: boolean
}

export interface StatusSamplerOptions {
  inspector: BusInspector | undefined
  health: Health
  topics: readonly SampledTopic[]
  groups: readonly string[]
  /** Averaging window for rates (default 5 s); sparse topics (under 1/s) use up to a minute. */
  windowMs?: number
  now?: () => number
}

const LONG_WINDOW_MS = 60_000

interface Sample {
  at: number
  totals: Map<string, number>
}

export class StatusSampler {
  readonly #o: StatusSamplerOptions
  readonly #startedAt: number
  #samples: Sample[] = []

  constructor(options: StatusSamplerOptions) {
    this.#o = options
    this.#startedAt = this.#now()
  }

  #now(): number {
    return this.#o.now?.() ?? performance.now()
  }

  sources(): SourcesStatus {
    return readSources(this.#o.health.report().checks)
  }

  /** The status line's numbers, the connections and the history fill they show (one reading). */
  async sample(): Promise<{
    snapshot: StatusSnapshot
    sources: SourcesStatus
    history: HistoryProgress | undefined
  }> {
    const at = this.#now()
    const names = this.#o.topics.map(t => t.topic)
    const totals = new Map<string, number>()
    let lag: number | null = null
    const inspector = this.#o.inspector
    if (inspector !== undefined) {
      for (const p of await inspector.partitionOffsets(names))
        totals.set(p.topic, (totals.get(p.topic) ?? 0) + Number(p.end))
      for (const group of this.#o.groups)
        for (const p of await inspector.groupOffsets(group, names))
          if (p.committed !== undefined) lag = (lag ?? 0) + Number(p.lag)
    }
    const short = this.#o.windowMs ?? 5_000
    this.#samples = [...this.#samples.filter(s => at - s.at <= LONG_WINDOW_MS), { at, totals }]
    const recent = this.#samples.find(s => at - s.at <= short)
    const rate = (from: Sample | undefined, topic: string, total: number): number => {
      const seconds = from === undefined ? 0 : (at - from.at) / 1000
      return seconds > 0 ? Math.max(0, total - (from?.totals.get(topic) ?? total)) / seconds : 0
    }
    const checks = this.#o.health.report().checks
    const sources = readSources(checks)
    const history = readHistory(checks)
    const snapshot: StatusSnapshot = {
      mode: sources.mode,
      topics: this.#o.topics
        .map(t => {
          const total = totals.get(t.topic) ?? 0
          const fast = rate(recent, t.topic, total)
          // News arrives in bursts minutes apart: over 5 s its rate is 0 nearly always.
          const perSec = fast >= 1 ? fast : rate(this.#samples[0], t.topic, total)
          return { label: t.label, total, perSec, optional: t.optional === true }
        })
        .filter(t => !t.optional || t.total > 0)
        .map(({ label, total, perSec }) => ({ label, total, perSec })),
      kraken: sources.kraken,
      news: sources.news,
      lag,
      uptimeMs: at - this.#startedAt,
      history: historySegment(history)
    }
    return { snapshot, sources, history }
  }
}
