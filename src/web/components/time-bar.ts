/**
 * The time control under the header. Live: quick jumps back (15 min … 7 d) and a custom range.
 * History: play/pause, speed (1× … 1000×), a slider over the range, the playhead's time, the range
 * (editable) and the way back to live. Both states have the same height, so switching never moves
 * the page; the range editor is a popover over the content.
 */
import { Speeds, type TimeControl, type TimeState } from '../app/time-control.ts'
import { h, setText } from '../lib/dom.ts'
import { formatDateTime, formatMoment, fromLocalInput, toLocalInput } from '../lib/format.ts'

const MINUTE = 60_000
const Presets: [string, number][] = [
  ['15 min', 15 * MINUTE],
  ['1 h', 60 * MINUTE],
  ['6 h', 360 * MINUTE],
  ['24 h', 1440 * MINUTE],
  ['7 d', 7 * 1440 * MINUTE]
]

export class TimeBar {
  readonly element: HTMLElement
  readonly #time: TimeControl
  readonly #liveGroup: HTMLElement
  readonly #historyGroup: HTMLElement
  readonly #play: HTMLButtonElement
  readonly #speed: HTMLSelectElement
  readonly #slider: HTMLInputElement
  readonly #at: HTMLElement
  readonly #range: HTMLButtonElement
  readonly #popover: HTMLElement
  readonly #from: HTMLInputElement
  readonly #to: HTMLInputElement
  #dragging = false

  constructor(time: TimeControl) {
    this.#time = time
    const liveButton = h(
      'button',
      { type: 'button', class: 'mode-button', 'data-mode': 'live', onclick: () => time.goLive() },
      'Live'
    )
    const historyButton = h(
      'button',
      {
        type: 'button',
        class: 'mode-button',
        'data-mode': 'history',
        onclick: () => this.#enterHistory(60 * MINUTE)
      },
      'History'
    )
    this.#liveGroup = h(
      'div',
      { class: 'time-group time-live' },
      h('span', { class: 'time-caption' }, 'Go back'),
      ...Presets.map(([label, span]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            onclick: () => this.#enterHistory(span),
            'aria-label': `Replay the last ${label}`
          },
          label
        )
      ),
      h('button', { type: 'button', class: 'chip', onclick: () => this.#togglePopover() }, 'Custom…')
    )
    this.#play = h('button', {
      type: 'button',
      class: 'icon-button play',
      'data-testid': 'replay-play',
      onclick: () => this.#togglePlay()
    })
    this.#speed = h(
      'select',
      {
        class: 'speed',
        'aria-label': 'Replay speed',
        onchange: () => time.setSpeed(Number(this.#speed.value))
      },
      ...Speeds.map(speed => h('option', { value: speed }, `${speed}×`))
    )
    this.#slider = h('input', {
      type: 'range',
      class: 'replay-slider',
      'data-testid': 'replay-slider',
      'aria-label': 'Replay position',
      step: 1000
    })
    this.#slider.addEventListener('input', () => {
      this.#dragging = true
      setText(this.#at, formatMoment(Number(this.#slider.value)))
    })
    this.#slider.addEventListener('change', () => {
      this.#dragging = false
      time.seek(Number(this.#slider.value))
    })
    this.#at = h('output', { class: 'playhead', 'data-testid': 'playhead' })
    this.#range = h('button', {
      type: 'button',
      class: 'chip range-chip',
      onclick: () => this.#togglePopover()
    })
    this.#historyGroup = h(
      'div',
      { class: 'time-group time-history' },
      this.#play,
      this.#speed,
      this.#slider,
      this.#at,
      this.#range
    )
    this.#from = h('input', { type: 'datetime-local', 'aria-label': 'From', required: true })
    this.#to = h('input', { type: 'datetime-local', 'aria-label': 'To', required: true })
    const form = h(
      'form',
      { class: 'range-form' },
      h('label', {}, h('span', {}, 'From'), this.#from),
      h('label', {}, h('span', {}, 'To'), this.#to),
      h('button', { type: 'submit', class: 'primary' }, 'Show this range')
    )
    form.addEventListener('submit', event => {
      event.preventDefault()
      const from = fromLocalInput(this.#from.value)
      const to = fromLocalInput(this.#to.value)
      if (from === undefined || to === undefined || to <= from) return
      this.#popover.hidden = true
      time.goBack(from, to, to)
    })
    this.#popover = h('div', { class: 'range-popover', hidden: true }, form)
    this.element = h(
      'div',
      { class: 'time-bar', role: 'toolbar', 'aria-label': 'Time' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': 'Mode' }, liveButton, historyButton),
      this.#liveGroup,
      this.#historyGroup,
      this.#popover
    )
    time.on('change', ({ state, reason }) =>
      reason === 'tick' ? this.#renderPlayhead(state) : this.render()
    )
    this.render()
  }

  render(): void {
    const state = this.#time.state
    this.element.dataset.mode = state.mode
    for (const button of this.element.querySelectorAll<HTMLButtonElement>('.mode-button'))
      button.setAttribute('aria-pressed', String(button.dataset.mode === state.mode))
    this.#liveGroup.hidden = state.mode !== 'live'
    this.#historyGroup.hidden = state.mode !== 'history'
    if (state.mode !== 'history') return
    this.#play.textContent = state.playing ? '❚❚' : '▶'
    this.#play.setAttribute('aria-label', state.playing ? 'Pause replay' : 'Play replay')
    this.#speed.value = String(state.speed)
    this.#slider.min = String(state.from)
    this.#slider.max = String(state.to)
    setText(this.#range, `${formatDateTime(state.from)} → ${formatDateTime(state.to)}`)
    this.#renderPlayhead(state)
  }

  #renderPlayhead(state: TimeState): void {
    if (state.mode !== 'history' || this.#dragging) return
    this.#slider.value = String(state.at)
    this.#slider.setAttribute('aria-valuetext', formatMoment(state.at))
    setText(this.#at, formatMoment(state.at))
  }

  #enterHistory(span: number): void {
    const now = Date.now()
    this.#time.goBack(now - span, now, now - span)
  }

  #togglePlay(): void {
    const state = this.#time.state
    if (state.mode === 'history' && state.playing) this.#time.pause()
    else this.#time.play()
  }

  #togglePopover(): void {
    const state = this.#time.state
    const now = Date.now()
    this.#from.value = toLocalInput(state.mode === 'history' ? state.from : now - 60 * MINUTE)
    this.#to.value = toLocalInput(state.mode === 'history' ? state.to : now)
    this.#popover.hidden = !this.#popover.hidden
    if (!this.#popover.hidden) this.#from.focus()
  }
}
