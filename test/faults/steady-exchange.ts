/**
 * The exchange of the fault suite: the project's fake Kraken (WebSocket v2 + REST, with its fault
 * switches) over the synthetic market, driven at a steady rate of trades per second spread evenly
 * over the symbols (not the market's own bursty timer), with no history before the start, so that
 * every trade the exchange ever made is one the pipeline must store: `sent()` is the ground truth.
 */
import { type FakeKraken, startFakeKraken } from '../../src/sim/kraken/fake-kraken-server.ts'
import type { SimTrade } from '../../src/sim/kraken/market.ts'
import { SyntheticMarket } from '../../src/sim/kraken/synthetic-market.ts'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'

const TICK_MS = 50

export class SteadyExchange {
  readonly server: FakeKraken
  readonly symbols: readonly string[]
  readonly #market: SyntheticMarket
  readonly #rate: number
  #timer: NodeJS.Timeout | undefined
  #startedAt = 0
  #emittedThisRun = 0
  #turn = 0

  private constructor(server: FakeKraken, market: SyntheticMarket, rate: number) {
    this.server = server
    this.#market = market
    this.symbols = market.symbols
    this.#rate = rate
  }

  static async start(options: {
    symbols: readonly string[]
    tradesPerSecond: number
  }): Promise<SteadyExchange> {
    const market = new SyntheticMarket({ symbols: options.symbols, historyMinutes: 0, seed: 4_242 })
    const server = await startFakeKraken({ market })
    return new SteadyExchange(server, market, options.tradesPerSecond)
  }

  /** Starts (or resumes) the flow: each tick makes the trades due since the run began. */
  resume(): void {
    if (this.#timer !== undefined) return
    this.#startedAt = performance.now()
    this.#emittedThisRun = 0
    this.#timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.#startedAt) / 1000) * this.#rate)
      while (this.#emittedThisRun < due) {
        const symbol = this.symbols[this.#turn++ % this.symbols.length] ?? ''
        this.#emittedThisRun += this.#market.emitTrades(symbol, 1).length
      }
    }, TICK_MS)
  }

  pause(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Every trade the exchange made so far. */
  sent(): TradeV1[] {
    return this.symbols.flatMap(symbol => this.#market.history.all(symbol).map(t => asTrade(symbol, t)))
  }

  sentCount(): number {
    return this.symbols.reduce((n, symbol) => n + this.#market.history.all(symbol).length, 0)
  }

  /** True once the producer has subscribed to the trade channel. */
  subscribed(): boolean {
    return this.server.stats().requests.some(r => r.method === 'subscribe')
  }

  async close(): Promise<void> {
    this.pause()
    await this.server.close()
  }
}

function asTrade(symbol: string, t: SimTrade): TradeV1 {
  return {
    v: 1,
    type: 'trade',
    exchange: 'kraken',
    symbol,
    tradeId: t.id,
    price: t.price,
    qty: t.qty,
    side: t.side,
    ordType: t.ordType,
    exchangeTs: t.ts,
    receivedAt: t.ts,
    source: 'ws'
  }
}
