/**
 * A recorded session played back: NDJSON lines `{"t": <seconds from start>, "frame": "<raw v2
 * frame>"}` (an optional first line `{"recording": {...}}` describes it). Frames stay text: only
 * timestamps (moved to "now", compressed by `speed`) and, on later loops, trade ids (shifted so
 * they keep increasing) are rewritten in place, so lexemes and book checksums survive. The state
 * the frames imply (trades, ticker, book) is kept so late subscribers get consistent snapshots.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'lossless-json'
import {
  Listeners,
  type MarketListener,
  type MarketSource,
  type Precision,
  type SimTicker,
  type SimTrade
} from './market.ts'
import { profileOf } from './profiles.ts'
import { SimBook } from './sim-book.ts'
import { TradeHistory } from './trade-history.ts'

export interface RecordedMarketOptions {
  speed?: number
  /** Start again from the beginning at the end (default true). */
  loop?: boolean
  /** Added to every trade id (a later replay run continues past an earlier one's ids). */
  idOffset?: number
}

interface Line {
  t: number
  frame: string
}

type Obj = Record<string, unknown>

const TIME_FIELD =
  /"(timestamp|interval_begin|time_in|time_out)":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z"/g
const TRADE_ID = /"trade_id":(\d+)/g

function nanosOf(whole: string, fraction = ''): bigint {
  return BigInt(Date.parse(`${whole}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))
}

function textOf(ns: bigint, digits: number): string {
  const seconds = ns / 1_000_000_000n
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  if (digits === 0) return `${base}Z`
  return `${base}.${(ns % 1_000_000_000n).toString().padStart(9, '0').slice(0, digits)}Z`
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

export class RecordedMarket implements MarketSource {
  readonly symbols: readonly string[]
  readonly history = new TradeHistory()
  readonly recordedBookDepth: number
  readonly #lines: Line[]
  readonly #speed: number
  readonly #loop: boolean
  readonly #idOffset: number
  readonly #baseNs: bigint
  readonly #durationS: number
  readonly #idSpan = new Map<string, number>()
  readonly #tickers = new Map<string, SimTicker>()
  readonly #books = new Map<string, SimBook>()
  readonly #listeners = new Listeners()
  #timer: NodeJS.Timeout | undefined
  #startWall = 0
  #startNs = 0n
  #index = 0
  #cycle = 0

  constructor(text: string, options: RecordedMarketOptions = {}) {
    const parsed = text
      .split('\n')
      .filter(line => line.trim() !== '')
      .map(line => JSON.parse(line) as Obj)
    const header = parsed[0]?.recording as Obj | undefined
    this.#lines = parsed.filter(
      (line): line is Obj & Line => typeof line.t === 'number' && typeof line.frame === 'string'
    )
    this.recordedBookDepth = typeof header?.bookDepth === 'number' ? header.bookDepth : 10
    this.#speed = options.speed ?? 1
    this.#loop = options.loop ?? true
    this.#idOffset = options.idOffset ?? 0
    this.#durationS = (this.#lines.at(-1)?.t ?? 0) + 1
    const symbols = new Set<string>()
    const ids = new Map<string, { min: number; max: number }>()
    let base: bigint | undefined
    for (const line of this.#lines) {
      for (const match of line.frame.matchAll(/"symbol":"([^"]+)"/g)) symbols.add(match[1] ?? '')
      const time = /"timestamp":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z"/.exec(line.frame)
      if (base === undefined && time !== null)
        base = nanosOf(time[1] ?? '', time[2]) - BigInt(Math.round(line.t * 1e9))
      const symbol = /"symbol":"([^"]+)"/.exec(line.frame)?.[1]
      for (const match of line.frame.matchAll(TRADE_ID)) {
        if (symbol === undefined) continue
        const id = Number(match[1])
        const span = ids.get(symbol) ?? { min: id, max: id }
        ids.set(symbol, { min: Math.min(span.min, id), max: Math.max(span.max, id) })
      }
    }
    for (const [symbol, { min, max }] of ids) this.#idSpan.set(symbol, max - min + 1)
    this.symbols = [...symbols].filter(s => s !== '')
    this.#baseNs = base ?? 0n
  }

  static fromFile(path: string, options: RecordedMarketOptions = {}): RecordedMarket {
    return new RecordedMarket(readFileSync(path, 'utf8'), options)
  }

  precision(symbol: string): Precision {
    const profile = profileOf(symbol)
    return { price: profile.pricePrecision, qty: profile.qtyPrecision }
  }

  ticker(symbol: string): SimTicker | undefined {
    return this.#tickers.get(symbol)
  }

  book(symbol: string): SimBook | undefined {
    return this.#books.get(symbol)
  }

  listen(listener: MarketListener): () => void {
    return this.#listeners.add(listener)
  }

  start(): void {
    if (this.#timer !== undefined) return
    this.#startWall = performance.now()
    this.#startNs = BigInt(Date.now()) * 1_000_000n
    this.#schedule()
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Plays the next `count` frames at once, ignoring their times (tests). */
  playNext(count: number): void {
    if (this.#startNs === 0n) this.#startNs = BigInt(Date.now()) * 1_000_000n
    for (let i = 0; i < count && this.#advance(); i++);
  }

  #schedule(): void {
    const line = this.#lines[this.#index]
    if (line === undefined) return
    const dueMs = ((line.t + this.#cycle * this.#durationS) / this.#speed) * 1000
    const wait = Math.max(0, this.#startWall + dueMs - performance.now())
    this.#timer = setTimeout(() => {
      this.#advance()
      if (this.#timer !== undefined) this.#schedule()
    }, wait)
  }

  /** Emits the current frame and moves on; false at the end of a non-looping recording. */
  #advance(): boolean {
    const line = this.#lines[this.#index]
    if (line === undefined) return false
    this.#emit(line)
    this.#index++
    if (this.#index >= this.#lines.length && this.#loop) {
      this.#index = 0
      this.#cycle++
    }
    return this.#index < this.#lines.length
  }

  #retime(frame: string): string {
    const shift = BigInt(this.#cycle) * BigInt(Math.round(this.#durationS * 1e9))
    const interval = Number(/"interval":(\d+)/.exec(frame)?.[1] ?? 1)
    return frame.replace(TIME_FIELD, (_all, field: string, whole: string, fraction: string | undefined) => {
      const offset =
        ((nanosOf(whole, fraction) - this.#baseNs + shift) / BigInt(Math.round(this.#speed * 1000))) * 1000n
      let ns = this.#startNs + offset
      if (field === 'interval_begin') {
        const span = BigInt(interval) * 60_000_000_000n
        ns -= ns % span
      }
      return `"${field}":"${textOf(ns, fraction?.length ?? 0)}"`
    })
  }

  #emit(line: Line): void {
    const symbol = /"symbol":"([^"]+)"/.exec(line.frame)?.[1] ?? ''
    let raw = this.#retime(line.frame)
    const shift = this.#idOffset + this.#cycle * (this.#idSpan.get(symbol) ?? 0)
    if (shift > 0) raw = raw.replace(TRADE_ID, (_all, id: string) => `"trade_id":${Number(id) + shift}`)
    const frame = parse(raw, null, (lexeme: string) => lexeme) as Obj
    const channel = str(frame.channel)
    const data = Array.isArray(frame.data) ? (frame.data as Obj[]) : []
    switch (channel) {
      case 'trade': {
        const trades = data.map((t): SimTrade => ({
          id: Number(t.trade_id),
          price: str(t.price),
          qty: str(t.qty),
          side: t.side === 'sell' ? 'sell' : 'buy',
          ordType: t.ord_type === 'market' ? 'market' : 'limit',
          tsNs: nanosOfText(str(t.timestamp)),
          ts: str(t.timestamp)
        }))
        this.history.append(symbol, trades)
        this.#listeners.emit({ kind: 'trades', symbol, trades, raw })
        return
      }
      case 'ticker':
        for (const t of data) this.#tickers.set(str(t.symbol), t as unknown as SimTicker)
        this.#listeners.emit({ kind: 'ticker', symbol, raw })
        return
      case 'book': {
        const element = data[0] ?? {}
        let book = this.#books.get(symbol)
        if (book === undefined || frame.type === 'snapshot') {
          book = new SimBook()
          this.#books.set(symbol, book)
        }
        for (const level of (element.bids ?? []) as Obj[]) book.set('bid', str(level.price), str(level.qty))
        for (const level of (element.asks ?? []) as Obj[]) book.set('ask', str(level.price), str(level.qty))
        book.truncate(this.recordedBookDepth)
        // Forwarded as recorded, snapshots included: a subscriber that joined before the recorded
        // snapshot has no book yet, and a snapshot simply replaces a client's book.
        this.#listeners.emit({ kind: 'book', symbol, raw })
        return
      }
      case 'ohlc':
        this.#listeners.emit({ kind: 'ohlc', symbol, raw })
        return
      default:
        return // status, heartbeat, acks: the server makes its own
    }
  }
}

function nanosOfText(text: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text)
  return match === null ? 0n : nanosOf(match[1] ?? '', match[2])
}
