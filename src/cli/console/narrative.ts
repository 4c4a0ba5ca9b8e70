/**
 * The start-up story of `npm start`, told from the runtime's events and the producers' connection
 * state: what starts, what it waits for, where things are, and a change of connection said once
 * when it happens (not once per retry): "Kraken unreachable (…): retrying with backoff; run
 * `npm start -- --replay` to play bundled data offline".
 */
import { relative } from 'node:path'
import { describeError } from '../../errors/errors.ts'
import { REPLAY_HINT, type SourceState, type SourcesStatus } from '../../ops/source-status.ts'
import type { RuntimeEvent } from '../../runtime/runtime-events.ts'
import type { HistoryProgress } from '../../sources/kraken/history-fill.ts'
import { historyDoneLine, historyStartLine } from './history-progress.ts'
import type { Terminal } from './terminal.ts'

export interface NarrativeOptions {
  /** Replayed input (the hint to use --replay is then pointless). */
  replay: boolean
  /** Where live market data would come from (shown while waiting for it). */
  krakenUrl: string
  /** Shortens folders under the working directory: ".data/embedded/bus". */
  cwd?: string
}

export class Narrative {
  readonly #t: Terminal
  readonly #o: NarrativeOptions
  #kraken: SourceState | undefined
  #news: SourceState | undefined
  #history: 'started' | 'told' | undefined

  constructor(terminal: Terminal, options: NarrativeOptions) {
    this.#t = terminal
    this.#o = options
  }

  #where(path: string): string {
    const cwd = this.#o.cwd ?? process.cwd()
    const short = relative(cwd, path)
    return short !== '' && !short.startsWith('..') ? short : path
  }

  onEvent(event: RuntimeEvent): void {
    const t = this.#t
    switch (event.type) {
      case 'bus-opening':
        if (event.kind === 'kafka') t.line('wait', `waiting for Kafka at ${event.where}`)
        return
      case 'bus-ready':
        t.line(
          'ok',
          event.kind === 'kafka'
            ? `Kafka ready (${event.where})`
            : `embedded bus ready (${this.#where(event.where)})`
        )
        return
      case 'database-opening':
        t.line(
          'wait',
          event.kind === 'postgres'
            ? `waiting for PostgreSQL at ${event.where}`
            : event.creating
              ? `creating the embedded database (PGlite, ${this.#where(event.where)}); the first start takes a few seconds`
              : `opening the embedded database (PGlite, ${this.#where(event.where)})`
        )
        return
      case 'database-ready': {
        const what = event.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'
        const migrated =
          event.applied.length === 0 ? 'schema up to date' : `${event.applied.length} migration(s) applied`
        t.line('ok', `database ready: ${what}, ${migrated} (${this.#where(event.where)})`)
        return
      }
      case 'role-started':
        if (event.role === 'ingest' || event.role === 'analytics') t.line('ok', `${event.role} consuming`)
        return
      case 'running':
        if (this.#o.replay)
          t.line(
            'info',
            'replay: bundled data through the real producers and in-process fake servers, not the live market'
          )
        else t.line('wait', `waiting for Kraken (${this.#o.krakenUrl}) and the news feeds`)
        return
      case 'stopping':
        t.clearStatus()
        t.line('wait', 'stopping: producers first, then the jobs finish and commit their batches')
        return
      case 'start-failed':
        t.line('error', `could not start: ${describeError(event.error)}`)
        return
      default:
        return
    }
  }

  /** Call with every status sample: prints a line only when a connection changes state. */
  onSources(sources: SourcesStatus): void {
    const { kraken, news } = sources
    if (kraken !== null && kraken.state !== this.#kraken) {
      const first = this.#kraken === undefined
      this.#kraken = kraken.state
      this.#krakenLine(kraken.state, kraken.detail, first)
    }
    if (news !== null && news.state !== this.#news) {
      this.#news = news.state
      this.#newsLine(news.state, news.detail)
    }
  }

  /** Call with every sample of the history fill: a line when it starts loading and one when done. */
  onHistory(history: HistoryProgress): void {
    const t = this.#t
    if (this.#history === 'told') return
    if (history.state === 'loading' && this.#history === undefined) {
      this.#history = 'started'
      t.line('wait', historyStartLine(history))
    } else if (history.state === 'done') {
      this.#history = 'told'
      const done = historyDoneLine(history)
      if (done !== undefined) t.line('ok', done)
      if (history.series.failed > 0)
        t.line(
          'warn',
          `market history: ${history.series.failed} of ${history.series.total} series not loaded (${history.lastError ?? 'unknown error'}); the next start tries again`
        )
    }
  }

  #krakenLine(state: SourceState, detail: string, first: boolean): void {
    const t = this.#t
    const hint = this.#o.replay ? '' : `; ${REPLAY_HINT}`
    if (state === 'connected') t.line('ok', `Kraken connected: ${detail}`)
    else if (state === 'unreachable')
      t.line('warn', `Kraken unreachable (${detail}): retrying with backoff${hint}`)
    else if (state === 'reconnecting') t.line('warn', `Kraken connection lost (${detail}): reconnecting`)
    else if (state === 'degraded') t.line('warn', `Kraken: ${detail}`)
    else if (!first) t.line('wait', 'connecting to Kraken')
  }

  #newsLine(state: SourceState, detail: string): void {
    const t = this.#t
    if (state === 'connected') t.line('ok', `news feeds polled: ${detail}`)
    else if (state === 'unreachable')
      t.line('warn', `news feeds unreachable (${detail}): retrying with backoff`)
    else if (state === 'degraded') t.line('warn', `news: ${detail}`)
  }
}
