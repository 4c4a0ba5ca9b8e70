/**
 * A price sparkline on a canvas: a line over the last day and a faint fill under it, green when the
 * day is up and red when down. Drawing ~100 points costs microseconds, so a live update redraws
 * it whole; the canvas keeps its CSS size, so nothing around it moves.
 */
import { withAlpha } from '../lib/color.ts'

export class Sparkline {
  readonly element: HTMLCanvasElement
  #values: number[] = []
  readonly #tone: 'direction' | 'accent'

  /** `direction`: green when the series ends higher than it started, red otherwise; `accent`: neutral. */
  constructor(label: string, tone: 'direction' | 'accent' = 'direction') {
    this.#tone = tone
    this.element = document.createElement('canvas')
    this.element.className = 'sparkline'
    this.element.setAttribute('role', 'img')
    this.element.setAttribute('aria-label', label)
  }

  get values(): readonly number[] {
    return this.#values
  }

  set(values: readonly number[]): void {
    this.#values = values.filter(Number.isFinite)
    this.draw()
  }

  draw(): void {
    const canvas = this.element
    const width = canvas.clientWidth
    const height = canvas.clientHeight
    if (width === 0 || height === 0) return
    const ratio = window.devicePixelRatio || 1
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio)
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio)
    const context = canvas.getContext('2d')
    if (context === null) return
    context.setTransform(ratio, 0, 0, ratio, 0, 0)
    context.clearRect(0, 0, width, height)
    const values = this.#values
    if (values.length < 2) return
    const low = Math.min(...values)
    const high = Math.max(...values)
    const span = high - low || 1
    const x = (i: number): number => (i / (values.length - 1)) * (width - 2) + 1
    const y = (v: number): number => height - 3 - ((v - low) / span) * (height - 6)
    const style = getComputedStyle(canvas)
    const up = (values[values.length - 1] ?? 0) >= (values[0] ?? 0)
    const color = style.getPropertyValue(this.#tone === 'accent' ? '--accent' : up ? '--up' : '--down').trim()
    context.beginPath()
    values.forEach((v, i) => (i === 0 ? context.moveTo(x(i), y(v)) : context.lineTo(x(i), y(v))))
    context.lineWidth = 1.5
    context.strokeStyle = color
    context.lineJoin = 'round'
    context.stroke()
    context.lineTo(x(values.length - 1), height)
    context.lineTo(x(0), height)
    context.closePath()
    const fill = context.createLinearGradient(0, 0, 0, height)
    fill.addColorStop(0, withAlpha(color, 0.22))
    fill.addColorStop(1, withAlpha(color, 0))
    context.fillStyle = fill
    context.fill()
  }
}
