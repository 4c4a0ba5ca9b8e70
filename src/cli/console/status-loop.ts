/**
 * Keeps the status line current: samples every second and redraws it in place on a terminal, or
 * prints it as a plain line every 10 s elsewhere (CI logs, pipes). Each sample also tells the
 * narrative the producers' connection state, so a change is announced once, when it happens.
 */
import type { BusInspector } from '../../bus/bus.ts'
import { describeError } from '../../errors/errors.ts'
import type { Logger } from '../../log/logger.ts'
import type { Health } from '../../ops/health.ts'
import type { SourcesStatus } from '../../ops/source-status.ts'
import type { HistoryProgress } from '../../sources/kraken/history-fill.ts'
import { renderStatusLine } from './status-line.ts'
import { type SampledTopic, StatusSampler } from './status-sampler.ts'
import type { Terminal } from './terminal.ts'

export interface StatusLoopOptions {
  terminal: Terminal
  inspector: BusInspector | undefined
  health: Health
  topics: readonly SampledTopic[]
  groups: readonly string[]
  onSources: (sources: SourcesStatus) => void
  /** Told the start-up history fill's progress with every sample (when one runs). */
  onHistory?: (history: HistoryProgress) => void
  log: Logger
  /** Sampling period (default 1 s). */
  sampleEveryMs?: number
  /** Plain-line period when not redrawing in place (default 10 s). */
  printEveryMs?: number
}

export interface StatusLoop {
  stop(): void
}

export function startStatusLoop(options: StatusLoopOptions): StatusLoop {
  const t = options.terminal
  const sampler = new StatusSampler({
    inspector: options.inspector,
    health: options.health,
    topics: options.topics,
    groups: options.groups
  })
  const printEveryMs = options.printEveryMs ?? 10_000
  let lastPrinted = performance.now()
  let stopped = false
  let busy = false
  const tick = async (): Promise<void> => {
    if (busy || stopped) return
    busy = true
    try {
      const { snapshot, sources, history } = await sampler.sample()
      if (stopped) return
      // History first: a replay has loaded it before its live stream connects, and says so in that order.
      if (history !== undefined) options.onHistory?.(history)
      options.onSources(sources)
      if (t.inPlace) {
        t.status(renderStatusLine(snapshot, { width: t.width, paint: (code, text) => t.paint(code, text) }))
      } else if (performance.now() - lastPrinted >= printEveryMs) {
        lastPrinted = performance.now()
        t.status(`status: ${renderStatusLine(snapshot, { width: 400 })}`)
      }
    } catch (error) {
      options.log.debug({ err: describeError(error) }, 'status sample failed')
    } finally {
      busy = false
    }
  }
  const timer = setInterval(() => void tick(), options.sampleEveryMs ?? 1_000)
  timer.unref()
  void tick()
  return {
    stop() {
      stopped = true
      clearInterval(timer)
    }
  }
}
