/**
 * The coins the news producer recognises. Tickers that are English words (LINK, NEAR, DOT, ONE…)
 * and names that are common words (Avalanche, Polygon, Cosmos…) are flagged: they count only with
 * a `$`/`#` prefix, in a pair (`DOT/USD`), or in a text that is clearly about crypto.
 * `symbol` maps the coin to its Kraken v2 market where we stream one.
 */
export interface CoinEntry {
  code: string
  /** Lowercase names and aliases, matched case-insensitively as whole words. */
  names: string[]
  /** Names that are everyday words: need a capital letter and crypto context. */
  contextNames?: string[]
  /** The ticker is an everyday word or acronym: needs $/# or a pair or crypto context. */
  ambiguousTicker?: boolean
  symbol?: string
}

export const coinDictionary: readonly CoinEntry[] = [
  { code: 'BTC', names: ['bitcoin', 'xbt'], symbol: 'BTC/USD' },
  { code: 'ETH', names: ['ethereum', 'ether'], symbol: 'ETH/USD' },
  // "Sol" is a word, but "SOL" standing alone in running text is the ticker.
  { code: 'SOL', names: ['solana'], symbol: 'SOL/USD' },
  { code: 'XRP', names: ['xrp'], contextNames: ['ripple'], symbol: 'XRP/USD' },
  { code: 'ADA', names: ['cardano'], ambiguousTicker: true, symbol: 'ADA/USD' },
  // DOGE is also the US "Department of Government Efficiency".
  { code: 'DOGE', names: ['dogecoin', 'xdg'], ambiguousTicker: true, symbol: 'DOGE/USD' },
  { code: 'LTC', names: ['litecoin'], symbol: 'LTC/USD' },
  { code: 'DOT', names: ['polkadot'], ambiguousTicker: true, symbol: 'DOT/USD' },
  { code: 'LINK', names: ['chainlink'], ambiguousTicker: true, symbol: 'LINK/USD' },
  { code: 'AVAX', names: [], contextNames: ['avalanche'], symbol: 'AVAX/USD' },
  { code: 'POL', names: ['matic'], contextNames: ['polygon'], ambiguousTicker: true, symbol: 'POL/USD' },
  { code: 'UNI', names: ['uniswap'], ambiguousTicker: true, symbol: 'UNI/USD' },
  { code: 'ATOM', names: [], contextNames: ['cosmos'], ambiguousTicker: true, symbol: 'ATOM/USD' },
  { code: 'NEAR', names: ['near protocol'], ambiguousTicker: true, symbol: 'NEAR/USD' },
  { code: 'TRX', names: ['tron'], symbol: 'TRX/USD' },
  { code: 'BNB', names: ['binance coin', 'bnb chain'] },
  { code: 'XLM', names: ['lumens'], contextNames: ['stellar'], symbol: 'XLM/USD' },
  { code: 'SHIB', names: ['shiba inu'], symbol: 'SHIB/USD' },
  { code: 'TON', names: ['toncoin'], ambiguousTicker: true, symbol: 'TON/USD' },
  { code: 'ARB', names: ['arbitrum'], ambiguousTicker: true, symbol: 'ARB/USD' },
  { code: 'OP', names: [], contextNames: ['optimism'], ambiguousTicker: true, symbol: 'OP/USD' },
  { code: 'SUI', names: [], contextNames: ['sui'], ambiguousTicker: true, symbol: 'SUI/USD' },
  { code: 'APT', names: ['aptos'], ambiguousTicker: true, symbol: 'APT/USD' },
  { code: 'PEPE', names: ['pepecoin'], symbol: 'PEPE/USD' },
  { code: 'USDT', names: ['tether'], symbol: 'USDT/USD' },
  { code: 'USDC', names: ['usd coin'], symbol: 'USDC/USD' }
]
