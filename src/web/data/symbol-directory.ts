/**
 * The known market symbols (GET /api/symbols), shared by the overview, the symbol picker and the
 * news filters. Re-read at most every few seconds however many views ask; a symbol heard on the
 * live stream that is not known yet triggers a re-read, so a newly listed market appears by itself.
 */
import { getJson } from './rest.ts'
import type { SymbolEntry } from './types.ts'

const FRESH_MS = 5_000

export class SymbolDirectory {
  #entries: SymbolEntry[] = []
  #readAt = -Infinity
  #reading: Promise<SymbolEntry[]> | undefined

  get known(): readonly SymbolEntry[] {
    return this.#entries
  }

  /** The base assets of the known symbols (BTC for BTC/USD), sorted. */
  get coins(): string[] {
    return [...new Set(this.#entries.map(e => e.symbol.split('/')[0] ?? ''))].filter(Boolean).sort()
  }

  has(symbol: string): boolean {
    return this.#entries.some(entry => entry.symbol === symbol)
  }

  async list(signal?: AbortSignal, maxAgeMs = FRESH_MS): Promise<readonly SymbolEntry[]> {
    if (Date.now() - this.#readAt < maxAgeMs) return this.#entries
    this.#reading ??= getJson<{ symbols: SymbolEntry[] }>('/api/symbols', {}, signal)
      .then(body => {
        this.#entries = body.symbols
        this.#readAt = Date.now()
        return this.#entries
      })
      .finally(() => (this.#reading = undefined))
    return this.#reading
  }
}
