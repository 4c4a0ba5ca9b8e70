/**
 * Coin mentions in an article: names (case-insensitive whole words, possessives and plurals
 * included), tickers (uppercase standalone), cashtags (`$btc`, `#ETH`, any case) and pair forms
 * (`BTC/USD`, `BTC-USD`, `BTCUSDT`). Words that double as tickers or names need more evidence
 * (coin-dictionary.ts). A feed's own categories count as one mention each. Mentions are weighted by
 * where they are (title 3, feed text 2, category 2, page body 1) to order the coins and to leave out
 * a coin the page body names only in passing. Pure.
 */
import type { ArticleV1 } from '../../schemas/index.ts'
import { type CoinEntry, coinDictionary } from './coin-dictionary.ts'

export type CoinMentions = ArticleV1['coins']

const cryptoContext =
  /\b(crypto\w*|token\w*|coins?|blockchains?|defi|altcoins?|stak(e|ing)|web3|memecoins?|on-?chain|layer[- ]?[12]|dapps?|wallets?|mainnet|testnet|etfs?)\b/i

interface Matcher {
  code: string
  /** Mentions that count in any text. */
  strong: RegExp[]
  /** Mentions that count only in a crypto context. */
  weak: RegExp[]
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const quotes = "'\u2019"

function matcherOf(entry: CoinEntry): Matcher {
  const names = entry.names.map(n => new RegExp(`(?<![\\w$#])${escape(n)}(?:[${quotes}]s|s)?(?!\\w)`, 'gi'))
  const contextNames = (entry.contextNames ?? []).map(n => {
    const capitalized = n.charAt(0).toUpperCase() + n.slice(1)
    return new RegExp(`(?<![\\w$#])${escape(capitalized)}(?:[${quotes}]s)?(?!\\w)`, 'g')
  })
  const cashtag = new RegExp(`[$#]${entry.code}(?![A-Za-z0-9])`, 'gi')
  const pair = new RegExp(
    `(?<![A-Za-z0-9])${entry.code}(?:[/-](?:USD|USDT|USDC|EUR|BTC|ETH)|(?:USDT|USDC|USD))(?![A-Za-z0-9])`,
    'g'
  )
  const ticker = new RegExp(`(?<![A-Za-z0-9$#/-])${entry.code}(?![A-Za-z0-9/-])`, 'g')
  // A code that is also one of its names (XRP) is matched by the name already: counted once.
  const tickers = entry.names.includes(entry.code.toLowerCase()) ? [] : [ticker]
  return {
    code: entry.code,
    strong: [...names, cashtag, pair, ...(entry.ambiguousTicker ? [] : tickers)],
    weak: [...contextNames, ...(entry.ambiguousTicker ? [ticker] : [])]
  }
}

const matchers = coinDictionary.map(matcherOf)
const byName = new Map(
  coinDictionary.flatMap(e =>
    [e.code, ...e.names, ...(e.contextNames ?? [])].map(n => [n.toLowerCase(), e.code])
  )
)

function count(patterns: RegExp[], text: string): number {
  let total = 0
  for (const pattern of patterns) total += text.match(pattern)?.length ?? 0
  return total
}

/** Mostly capitals (a shouted headline): uppercase words there are not tickers. */
function shouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '')
  return letters.length > 12 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.7
}

/** Weights of a mention by where it is: the title says what an article is about, the page body least. */
export const MENTION_WEIGHTS = { title: 3, body: 2, category: 2, content: 1 } as const
/** A coin counts for an article from this weight on: one passing mention deep in a page body does not. */
const MIN_RELEVANCE = 2

export function coinMentions(input: {
  title: string
  /** The feed's own text (summary, or full text when the feed carries it). */
  body: string
  /** The main text fetched from the article page, if any. */
  content?: string
  categories: readonly string[]
}): CoinMentions {
  const content = input.content ?? ''
  const all = `${input.title}\n${input.body}\n${content}`
  const strongIn = (text: string, m: Matcher) => count(m.strong, text)
  const strongTotal = matchers.reduce((n, m) => n + strongIn(all, m), 0)
  const context = cryptoContext.test(all) || strongTotal > 0
  const scored: { code: string; mentions: number; inTitle: boolean; relevance: number }[] = []
  for (const m of matchers) {
    const weakIn = (text: string) => (context && !shouting(text) ? count(m.weak, text) : 0)
    const inTitle = strongIn(input.title, m) + weakIn(input.title)
    const inBody = strongIn(input.body, m) + weakIn(input.body)
    const inContent = content === '' ? 0 : strongIn(content, m) + weakIn(content)
    const tagged = input.categories.filter(c => byName.get(c.trim().toLowerCase()) === m.code).length
    const mentions = inTitle + inBody + inContent + tagged
    const w = MENTION_WEIGHTS
    const relevance = w.title * inTitle + w.body * inBody + w.content * inContent + w.category * tagged
    if (mentions > 0 && relevance >= MIN_RELEVANCE)
      scored.push({ code: m.code, mentions, inTitle: inTitle > 0, relevance })
  }
  return scored
    .sort((a, b) => b.relevance - a.relevance || b.mentions - a.mentions || (a.code < b.code ? -1 : 1))
    .map(({ code, mentions, inTitle }) => ({ code, mentions, inTitle }))
}
