/**
 * The market data producer: Kraken WebSocket v2 frames → normalized, schema-validated messages →
 * the buffered publisher, keyed by symbol. Trades go through the trade flow (dedupe, gap fill from
 * REST), books through the checksum-verifying book keeper, candles through the candle tracker.
 * An element that cannot be read or does not validate is counted and skipped; the rest of its
 * frame, and the stream, carry on.
 */
import type { Logger } from 'pino'
import { TopicNames } from '../../schemas/topics.ts'
import type { Config } from '../../config/config.ts'
import { ErrorCodes, describeError } from '../../errors/errors.ts'
import {
  type BookV1,
  type OhlcV1,
  type TickerV1,
  type TradeV1,
  bookCodec,
  ohlcCodec,
  tickerCodec,
  tradeCodec
} from '../../schemas/index.ts'
import type { ProducerMetrics } from '../producer-metrics.ts'
import type { BufferedPublisher } from '../publish/buffered-publisher.ts'
import { BookKeeper } from './book/book-keeper.ts'
import { CandleTracker } from './candle-tracker.ts'
import { fetchMissingTrades } from './gap-fill.ts'
import { ohlcFromWs, tickerFromWs, tradeFromWs } from './normalize.ts'
import { KrakenRest } from './rest-client.ts'
import type { ChannelSpec } from './subscriptions.ts'
import { TradeFlow } from './trade-flow.ts'
import { type DataFrame, KrakenWsClient, type KrakenWsStatus } from './ws-client.ts'

export type KrakenSettings = Config['kraken']

export interface MarketTopics {
  trade: string
  ticker: string
  ohlc: string
  book: string
}

export interface MarketProducerOptions {
  kraken: KrakenSettings
  publisher: BufferedPublisher
  metrics: ProducerMetrics
  log: Logger
  /** Topic names (tests use their own; default the declared ones). */
  topics?: MarketTopics
  /** Knobs the configuration does not expose (tests shorten them). */
  tuning?: {
    pongTimeoutMs?: number
    ackTimeoutMs?: number
    backoffInitialMs?: number
    stableAfterMs?: number
    bookPublishIntervalMs?: number
    restRetryInitialMs?: number
    gapFillMaxPages?: number
  }
}

export function channelSpecs(kraken: KrakenSettings): ChannelSpec[] {
  return kraken.channels.map(channel => {
    switch (channel) {
      case 'book':
        return { channel, params: { depth: kraken.bookDepth, snapshot: true } }
      case 'ohlc':
        return { channel, params: { interval: kraken.ohlcInterval, snapshot: true } }
      default:
        // Kraken's trade snapshot default differs between doc versions: always say it. The trade
        // snapshot (last 50) is what reveals a gap after a reconnect.
        return { channel, params: { snapshot: true } }
    }
  })
}

export class MarketProducer {
  readonly #o: MarketProducerOptions
  readonly #log: Logger
  readonly #topics: MarketTopics
  readonly #stop = new AbortController()
  readonly #client: KrakenWsClient
  readonly #rest: KrakenRest
  readonly #trades: TradeFlow
  readonly #books: BookKeeper
  readonly #candles = new CandleTracker()

  constructor(options: MarketProducerOptions) {
    this.#o = options
    const { kraken, metrics, tuning = {} } = options
    this.#log = options.log.child({ component: 'market-producer' })
    this.#topics = options.topics ?? {
      trade: TopicNames.trade,
      ticker: TopicNames.ticker,
      ohlc: TopicNames.ohlc,
      book: TopicNames.book
    }
    this.#rest = new KrakenRest({
      baseUrl: kraken.restUrl,
      minIntervalMs: kraken.restMinIntervalMs,
      log: this.#log,
      metrics,
      signal: this.#stop.signal,
      ...(tuning.restRetryInitialMs === undefined ? {} : { retryInitialMs: tuning.restRetryInitialMs })
    })
    this.#trades = new TradeFlow({
      emit: trade => this.#publish(this.#topics.trade, trade, tradeCodec.encode),
      fetchGap: gap =>
        fetchMissingTrades(this.#rest, gap, {
          maxPages: tuning.gapFillMaxPages ?? 50,
          onMalformed: error => this.#malformed('kraken-rest', error)
        }),
      metrics,
      log: this.#log
    })
    this.#books = new BookKeeper({
      depth: kraken.bookDepth,
      publishIntervalMs: tuning.bookPublishIntervalMs ?? 250,
      emit: book => this.#publish(this.#topics.book, book, bookCodec.encode),
      resubscribe: symbol => this.#client.resubscribe('book', symbol),
      metrics,
      log: this.#log
    })
    this.#client = new KrakenWsClient({
      url: kraken.wsUrl,
      channels: channelSpecs(kraken),
      symbols: kraken.symbols,
      log: this.#log,
      metrics,
      watchdogMs: kraken.watchdogMs,
      pingIntervalMs: kraken.pingIntervalMs,
      staleAfterMs: kraken.staleAfterMs,
      backoff: { initialMs: tuning.backoffInitialMs ?? 500, maxMs: kraken.reconnectMaxMs },
      connectBudget: { attempts: kraken.connectBudget, windowMs: 600_000 },
      ...(tuning.pongTimeoutMs === undefined ? {} : { pongTimeoutMs: tuning.pongTimeoutMs }),
      ...(tuning.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: tuning.ackTimeoutMs }),
      ...(tuning.stableAfterMs === undefined ? {} : { stableAfterMs: tuning.stableAfterMs }),
      handlers: {
        onData: (frame, receivedAt) => this.#onData(frame, receivedAt),
        onConnected: () => this.#books.reset()
      }
    })
  }

  start(): void {
    this.#log.info(
      { url: this.#o.kraken.wsUrl, symbols: this.#o.kraken.symbols, channels: this.#o.kraken.channels },
      'market producer starting'
    )
    this.#client.start()
  }

  /** Stops the socket, lets running gap fills finish or abort, and leaves flushing to the publisher. */
  async stop(): Promise<void> {
    await this.#client.stop()
    this.#stop.abort()
    await this.#trades.settled()
    this.#books.stop()
  }

  status(): KrakenWsStatus {
    return this.#client.status()
  }

  /** The REST client (spaced, backing off): whoever else calls Kraken's REST shares its rate limit. */
  get rest(): KrakenRest {
    return this.#rest
  }

  lastTradeId(symbol: string): number | undefined {
    return this.#trades.lastTradeId(symbol)
  }

  #onData(frame: DataFrame, receivedAt: string): void {
    switch (frame.channel) {
      case 'trade': {
        const trades = this.#read(frame, element => tradeFromWs(element, receivedAt))
        const receivedMs = Date.parse(receivedAt)
        for (const trade of trades) {
          this.#o.metrics.exchangeLag.observe(Math.max(0, receivedMs - Date.parse(trade.exchangeTs)) / 1000)
        }
        this.#trades.offer(trades)
        return
      }
      case 'ticker':
        for (const ticker of this.#read(frame, element => tickerFromWs(element, receivedAt))) {
          this.#publish<TickerV1>(this.#topics.ticker, ticker, tickerCodec.encode)
        }
        return
      case 'ohlc': {
        const candles = this.#read(frame, element => ohlcFromWs(element, receivedAt, false))
        for (const candle of this.#candles.accept(candles, receivedAt)) {
          this.#publish<OhlcV1>(this.#topics.ohlc, candle, ohlcCodec.encode)
        }
        return
      }
      case 'book':
        for (const element of frame.data) {
          try {
            this.#books.apply(frame.type, element, receivedAt)
          } catch (error) {
            this.#malformed('kraken-ws', error)
          }
        }
        return
    }
  }

  /** Normalizes each element; a bad one is counted and skipped, the others go on. */
  #read<T>(frame: DataFrame, normalize: (element: DataFrame['data'][number]) => T): T[] {
    const out: T[] = []
    for (const element of frame.data) {
      try {
        out.push(normalize(element))
      } catch (error) {
        this.#malformed('kraken-ws', error)
      }
    }
    return out
  }

  #publish<T extends TradeV1 | TickerV1 | OhlcV1 | BookV1>(
    topic: string,
    message: T,
    encode: (m: T) => string
  ): void {
    let value: string
    try {
      value = encode(message)
    } catch (error) {
      this.#malformed('kraken-ws', error)
      return
    }
    this.#o.metrics.marketEvents.inc({ channel: message.type })
    this.#o.publisher.enqueue({ topic, key: message.symbol, value })
  }

  #malformed(source: string, error: unknown): void {
    this.#o.metrics.malformed.inc({ source })
    this.#log.warn(
      { code: ErrorCodes.MALFORMED_INPUT, source, err: describeError(error) },
      'unreadable market data skipped'
    )
  }
}
