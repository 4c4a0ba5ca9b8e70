/**
 * Local order books for the `book` channel, verified against Kraken's checksum on every message.
 * A mismatch drops that symbol's book and asks for a fresh snapshot of that symbol only (once per
 * desync: updates are ignored until the snapshot arrives, so a bad book never triggers a storm of
 * resubscribes and never tears down the connection the other symbols share). Verified tops go to
 * the bus at most once per `publishIntervalMs` per symbol, latest state wins.
 */
import type { Logger } from 'pino'
import { ErrorCodes } from '../../../errors/errors.ts'
import type { BookV1 } from '../../../schemas/index.ts'
import type { ProducerMetrics } from '../../producer-metrics.ts'
import { type Json, asArray, asInteger, asObject, asString, optionalString } from '../wire.ts'
import type { LevelText } from './checksum.ts'
import { OrderBook } from './order-book.ts'

export interface BookKeeperOptions {
  depth: number
  /** Levels per side in the published top (default 10, the checksum's scope). */
  topLevels?: number
  publishIntervalMs: number
  emit: (book: BookV1) => void
  resubscribe: (symbol: string) => void
  metrics: ProducerMetrics
  log: Logger
}

interface Entry {
  book: OrderBook | undefined
  checksum: number
  exchangeTs: string | null
  receivedAt: string
  lastPublished: number
  timer: NodeJS.Timeout | undefined
}

function levels(value: Json | undefined, what: string): LevelText[] {
  return asArray(value ?? [], what).map(level => {
    const l = asObject(level, what)
    return { price: asString(l.price, `${what}.price`), qty: asString(l.qty, `${what}.qty`) }
  })
}

export class BookKeeper {
  readonly #o: BookKeeperOptions
  readonly #entries = new Map<string, Entry>()

  constructor(options: BookKeeperOptions) {
    this.#o = options
  }

  /** A new connection: every book is void until its snapshot arrives. */
  reset(): void {
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.timer)
      entry.book = undefined
      entry.timer = undefined
    }
  }

  stop(): void {
    this.reset()
  }

  /** One `book` frame element. Throws MALFORMED_INPUT on unreadable input. */
  apply(type: 'snapshot' | 'update', element: Json, receivedAt: string): void {
    const data = asObject(element, 'book')
    const symbol = asString(data.symbol, 'book.symbol').toUpperCase()
    const bids = levels(data.bids, 'book.bids')
    const asks = levels(data.asks, 'book.asks')
    const expected = asInteger(data.checksum, 'book.checksum')
    const entry = this.#entry(symbol)
    if (type === 'snapshot') {
      entry.book = new OrderBook(symbol, this.#o.depth)
      entry.book.reset(bids, asks)
    } else if (entry.book === undefined) {
      return // desynced or not yet snapshotted: wait for the snapshot
    } else {
      entry.book.update(bids, asks)
    }
    const actual = entry.book.checksum()
    if (actual !== expected) {
      this.#o.metrics.checksumFailures.inc({ symbol })
      this.#o.log.error(
        { code: ErrorCodes.KRAKEN_CHECKSUM, symbol, type, expected, actual },
        'book checksum mismatch; dropping the book and resubscribing this symbol'
      )
      entry.book = undefined
      clearTimeout(entry.timer)
      entry.timer = undefined
      this.#o.resubscribe(symbol)
      return
    }
    entry.checksum = actual
    entry.exchangeTs = optionalString(data.timestamp) ?? null
    entry.receivedAt = receivedAt
    this.#schedule(symbol, entry, type === 'snapshot')
  }

  #entry(symbol: string): Entry {
    let entry = this.#entries.get(symbol)
    if (entry === undefined) {
      entry = {
        book: undefined,
        checksum: 0,
        exchangeTs: null,
        receivedAt: '',
        lastPublished: 0,
        timer: undefined
      }
      this.#entries.set(symbol, entry)
    }
    return entry
  }

  #schedule(symbol: string, entry: Entry, now: boolean): void {
    const wait = entry.lastPublished + this.#o.publishIntervalMs - Date.now()
    if (now || wait <= 0) {
      clearTimeout(entry.timer)
      entry.timer = undefined
      this.#publish(symbol, entry)
    } else {
      entry.timer ??= setTimeout(() => {
        entry.timer = undefined
        this.#publish(symbol, entry)
      }, wait)
    }
  }

  #publish(symbol: string, entry: Entry): void {
    if (entry.book === undefined) return
    entry.lastPublished = Date.now()
    const { bids, asks } = entry.book.top(this.#o.topLevels ?? 10)
    this.#o.emit({
      v: 1,
      type: 'book',
      exchange: 'kraken',
      symbol,
      depth: this.#o.depth,
      bids,
      asks,
      checksum: entry.checksum,
      exchangeTs: entry.exchangeTs,
      receivedAt: entry.receivedAt
    })
  }
}
