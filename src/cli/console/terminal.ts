/**
 * What `npm start` writes for a person: short narrative lines (✓ ready, … waiting, ⚠ warning,
 * ✗ error) and one status line. On a terminal the status line is redrawn in place under the
 * narrative; anywhere else (CI, a pipe, a file) every status is a plain line of its own, printed only
 * as often as the caller asks, so a log file never fills with carriage returns.
 */
import type { Writable } from 'node:stream'

export type LineKind = 'ok' | 'wait' | 'warn' | 'error' | 'info'

const marks: Record<LineKind, string> = { ok: '✓', wait: '…', warn: '⚠', error: '✗', info: '•' }
const colours: Record<LineKind, string> = { ok: '32', wait: '36', warn: '33', error: '31', info: '2' }

export interface TerminalOptions {
  out: Writable
  /** Redraw the status line in place (an interactive terminal). */
  inPlace: boolean
  color: boolean
  /** Width available for the status line (a terminal's columns). */
  columns?: () => number
}

export class Terminal {
  readonly color: boolean
  readonly #o: TerminalOptions
  #status: string | undefined

  constructor(options: TerminalOptions) {
    this.#o = options
    this.color = options.color
  }

  /**
   * Decides from the stream and the environment (NO_COLOR, FORCE_COLOR, TERM=dumb); `inPlace: false`
   * when something else writes to the same screen (JSON logs on stderr).
   */
  static for(
    stream: NodeJS.WriteStream,
    options: { env?: NodeJS.ProcessEnv; inPlace?: boolean } = {}
  ): Terminal {
    const env = options.env ?? process.env
    const tty = stream.isTTY === true && env.TERM !== 'dumb'
    const color =
      env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
        ? true
        : tty && (env.NO_COLOR === undefined || env.NO_COLOR === '')
    return new Terminal({
      out: stream,
      inPlace: tty && options.inPlace !== false,
      color,
      columns: () => stream.columns || 100
    })
  }

  get inPlace(): boolean {
    return this.#o.inPlace
  }

  get width(): number {
    return Math.max(20, (this.#o.columns?.() ?? 100) - 1)
  }

  paint(code: string, text: string): string {
    return this.color ? `\x1b[${code}m${text}\x1b[0m` : text
  }

  /** A narrative line; the status line (if shown) moves below it. */
  line(kind: LineKind, text: string): void {
    const mark = this.paint(colours[kind], marks[kind])
    const body = kind === 'info' ? this.paint(colours.info, text) : text
    this.#write(`${this.#clear()}${mark} ${body}\n${this.#redraw()}`)
  }

  /** Plain text without a mark (a heading, a blank line). */
  text(text: string): void {
    this.#write(`${this.#clear()}${text}\n${this.#redraw()}`)
  }

  /** In place on a terminal; elsewhere a plain line (the caller decides how often). */
  status(text: string): void {
    if (!this.#o.inPlace) {
      this.#write(`${text}\n`)
      return
    }
    this.#status = text
    this.#write(`\r\x1b[2K${text}`)
  }

  /** Removes the status line (before the process ends, or before a long message). */
  clearStatus(): void {
    if (this.#status === undefined) return
    this.#write(this.#clear())
    this.#status = undefined
  }

  #clear(): string {
    return this.#o.inPlace && this.#status !== undefined ? '\r\x1b[2K' : ''
  }

  #redraw(): string {
    return this.#o.inPlace && this.#status !== undefined ? this.#status : ''
  }

  #write(text: string): void {
    if (text !== '') this.#o.out.write(text)
  }
}
