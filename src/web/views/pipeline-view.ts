/**
 * Pipeline status: each stage (produce → ingest → analytics → api) with its health, throughput, last
 * event and instances; Kafka consumer lag per group (with its trend since the page opened); how fresh
 * each kind of stored data is; and this browser's own stream. Read from /api/pipeline every few
 * seconds and whenever a heartbeat arrives. Stage health is not stored, so this view is always "now".
 */
import type { AppContext } from '../app/context.ts'
import { InlineError, retrying } from '../components/retrying.ts'
import { Sparkline } from '../components/sparkline.ts'
import type { Feed } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import type { PipelineStatus } from '../data/types.ts'
import { h, setText } from '../lib/dom.ts'
import { formatAgo, formatCompact } from '../lib/format.ts'
import { toMs } from '../lib/time.ts'
import { View } from './view.ts'

const POLL_MS = 5_000
const MIN_GAP_MS = 1_500
const LAG_HISTORY = 120
const StageOrder = ['produce', 'ingest', 'analytics', 'api']

export class PipelineView extends View {
  readonly #stages = h('div', { class: 'stages', 'data-testid': 'stages' })
  readonly #lag = h('div', { class: 'lag-groups', 'data-testid': 'kafka-lag' })
  readonly #freshness = h('dl', { class: 'freshness' })
  readonly #browser = h('dl', { class: 'freshness' })
  readonly #note = h(
    'p',
    { class: 'note', hidden: true },
    'Stage health is not stored, so this page always shows the present, also while the other views show history.'
  )
  readonly #error = new InlineError()
  readonly #lagHistory = new Map<string, number[]>()
  #status: PipelineStatus | undefined
  #timer: number | undefined
  #lastRead = 0
  #eventsSeen = 0
  #countingSince = Date.now()
  #eventsRate = 0
  #stopCounting: (() => void) | undefined

  constructor(context: AppContext) {
    super(context, 'pipeline')
    this.element.append(
      h('h1', { class: 'visually-hidden' }, 'Pipeline status'),
      this.#note,
      h(
        'section',
        { class: 'panel' },
        h('h2', { class: 'panel-title' }, 'Stages'),
        this.#stages,
        this.#error.element
      ),
      h(
        'div',
        { class: 'pipeline-grid' },
        h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, 'Kafka consumer lag'), this.#lag),
        h(
          'section',
          { class: 'panel' },
          h('h2', { class: 'panel-title' }, 'Stored data freshness'),
          this.#freshness
        ),
        h('section', { class: 'panel' }, h('h2', { class: 'panel-title' }, 'This browser'), this.#browser)
      )
    )
  }

  override mount(): void {
    this.#stopCounting = this.context.socket.on('event', () => this.#eventsSeen++)
    super.mount()
  }

  override dispose(): void {
    super.dispose()
    clearTimeout(this.#timer)
    this.#stopCounting?.()
  }

  override tick(now: number): void {
    if (this.#status !== undefined) this.#renderAges(this.#status, now)
  }

  protected async load(_feed: Feed, signal: AbortSignal): Promise<void> {
    this.#note.hidden = this.context.time.state.mode === 'live'
    // Heartbeats come from the live stream whatever the time control shows.
    const stop = this.context.socket.subscribe('pipeline', () => {
      if (Date.now() - this.#lastRead > MIN_GAP_MS) void this.#read(signal)
    })
    signal.addEventListener('abort', stop)
    this.ready()
    await this.#read(signal)
  }

  async #read(signal: AbortSignal): Promise<void> {
    clearTimeout(this.#timer)
    this.#lastRead = Date.now()
    const status = await retrying(
      'the pipeline status',
      s => getJson<PipelineStatus>('/api/pipeline', {}, s),
      this.#error,
      signal
    )
    if (status === undefined || signal.aborted) return
    this.#eventsRate = this.#eventsSeen / Math.max(1, (Date.now() - this.#countingSince) / 1000)
    this.#eventsSeen = 0
    this.#countingSince = Date.now()
    this.#status = status
    this.#render(status)
    this.#timer = window.setTimeout(() => void this.#read(signal), POLL_MS)
  }

  #render(status: PipelineStatus): void {
    const stages = [...status.stages].sort((a, b) => rank(a.stage) - rank(b.stage))
    this.#stages.replaceChildren(
      ...stages.map(stage =>
        h(
          'article',
          { class: `stage stage-${stage.status}`, 'data-stage': stage.stage },
          h(
            'header',
            {},
            h('span', { class: 'stage-name' }, stage.stage),
            h('span', { class: `status status-${stage.status}` }, stage.status)
          ),
          h(
            'dl',
            {},
            h('dt', {}, 'Throughput'),
            h('dd', {}, stage.throughputPerSec === null ? '—' : `${formatCompact(stage.throughputPerSec)}/s`),
            h('dt', {}, 'Last event'),
            h('dd', { class: 'age', 'data-time': stage.lastEventAt ?? '' }, '—'),
            h('dt', {}, 'Instances'),
            h(
              'dd',
              {},
              String(stage.instances.filter(i => i.status !== 'down').length),
              stage.instances.length > 0 ? ` of ${stage.instances.length}` : ''
            )
          ),
          h(
            'ul',
            { class: 'instances' },
            ...stage.instances.map(i =>
              h(
                'li',
                { class: `status-${i.status}`, title: `${i.role}, last heartbeat ${i.lastHeartbeatAt}` },
                i.instance
              )
            )
          )
        )
      )
    )
    this.#renderLag(status)
    this.#renderAges(status, Date.now())
  }

  #renderLag(status: PipelineStatus): void {
    const kafka = status.kafka
    if (!kafka.available) {
      this.#lag.replaceChildren(h('p', { class: 'empty' }, kafka.error ?? 'Kafka lag unavailable'))
      return
    }
    if (kafka.groups.length === 0) {
      this.#lag.replaceChildren(h('p', { class: 'empty' }, 'No consumer groups yet'))
      return
    }
    this.#lag.replaceChildren(
      ...kafka.groups.map(group => {
        const history = this.#lagHistory.get(group.groupId) ?? []
        history.push(group.totalLag)
        this.#lagHistory.set(group.groupId, history.slice(-LAG_HISTORY))
        const spark = new Sparkline(`Lag of ${group.groupId} since this page opened`, 'accent')
        const row = h(
          'div',
          { class: 'lag-group', 'data-group': group.groupId },
          h(
            'div',
            { class: 'lag-head' },
            h('span', { class: 'lag-name' }, group.groupId),
            h('span', { class: 'lag-state' }, group.state),
            h(
              'b',
              { class: `lag-total${group.totalLag > 1000 ? ' high' : ''}` },
              `${formatCompact(group.totalLag)} behind`
            )
          ),
          spark.element,
          h(
            'div',
            { class: 'partitions' },
            ...group.partitions.map(p =>
              h(
                'span',
                {
                  class: `partition${p.lag > 0 ? ' lagging' : ''}`,
                  title: `${p.topic}[${p.partition}]: committed ${p.committedOffset}, end ${p.endOffset}`
                },
                `${p.topic.replace(/^raw/, '')}:${p.partition} ${formatCompact(p.lag)}`
              )
            )
          )
        )
        requestAnimationFrame(() => spark.set(this.#lagHistory.get(group.groupId) ?? []))
        return row
      })
    )
  }

  #renderAges(status: PipelineStatus, now: number): void {
    for (const dd of this.#stages.querySelectorAll<HTMLElement>('dd.age')) {
      const time = dd.dataset.time
      setText(dd, time === undefined || time === '' ? 'never' : formatAgo(now - toMs(time)))
    }
    const rows =
      status.data === null
        ? [['stored data', status.dataError ?? 'unavailable']]
        : Object.entries(status.data).map(([kind, time]) => [
            kind,
            time === null ? 'none yet' : formatAgo(now - toMs(time))
          ])
    this.#freshness.replaceChildren(
      ...rows.flatMap(([kind = '', age = '']) => [h('dt', {}, kind), h('dd', {}, age)])
    )
    const socket = this.context.socket
    const last = socket.lastEventAt
    this.#browser.replaceChildren(
      h('dt', {}, 'Live stream'),
      h('dd', {}, socket.state),
      h('dt', {}, 'Channels'),
      h('dd', {}, String(socket.channels.length)),
      h('dt', {}, 'Events received'),
      h('dd', {}, `${this.#eventsRate.toFixed(1)}/s`),
      h('dt', {}, 'Last event'),
      h('dd', {}, last === undefined ? 'none yet' : formatAgo(now - last))
    )
  }
}

function rank(stage: string): number {
  const index = StageOrder.indexOf(stage)
  return index < 0 ? StageOrder.length : index
}
