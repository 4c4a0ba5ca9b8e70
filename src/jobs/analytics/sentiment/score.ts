/**
 * Lexicon-based sentiment of a news article, in [−1, 1]. Method:
 *
 * 1. tokens: lower case, apostrophes dropped inside words ("isn't" → isnt), clause punctuation kept
 *    as tokens because a negation does not cross it;
 * 2. phrases first ("all-time high", "rug pull"), longest match, then single words: the crypto
 *    vocabulary overrides AFINN-165 with financial-market-news terms, which is the base;
 * 3. negation: a negator (not, no, never, isn't, without, …) flips and damps (× −0.75, as VADER does)
 *    every scored term in the next three words of the same clause, function words not counted
 *    ("not bullish", "no sign of a crash");
 * 4. the title counts twice, the summary once, and the main text of the page (when there is one)
 *    as a whole about as much as a summary: each of its terms weighs 0.5 × min(1, 100 / its length in
 *    tokens), so a long body informs the score without drowning the headline; the sum s becomes
 *    tanh(s / 5), and |score| < 0.1 is neutral.
 *
 * Our own implementation rather than the `sentiment` package: that one mutates its shared lexicon
 * when given extra words, and loses negation for a custom language (both verified in the research).
 */
import { afinn165FinancialMarketNews } from 'afinn-165-financialmarketnews'
import { cryptoPhrases, cryptoWords, negators } from './crypto-lexicon.ts'

// v2: the page body counts too (v1 read title and summary only).
export const SENTIMENT_MODEL = 'afinn165-fin+crypto-v2'

export interface SentimentScore {
  score: number
  label: 'positive' | 'neutral' | 'negative'
  positiveTerms: string[]
  negativeTerms: string[]
  /** The weighted sum before squashing. */
  raw: number
}

const NEGATION_WINDOW = 3
const NEGATION_FACTOR = -0.75
const TITLE_WEIGHT = 2
const BODY_WEIGHT = 0.5
/** Bodies longer than this many tokens are scaled down to weigh as much as one this long. */
const BODY_REFERENCE_TOKENS = 100
const SQUASH = 5
const NEUTRAL_BAND = 0.1

// Function words do not use up the negation window ("no sign of a crash" negates crash).
const FILLERS = new Set([
  'a',
  'an',
  'the',
  'of',
  'to',
  'for',
  'in',
  'on',
  'at',
  'by',
  'any',
  'be',
  'been',
  'is',
  'are',
  'was',
  'were',
  'its',
  'their',
  'this',
  'that',
  'so',
  'too',
  'very'
])

const TOKEN = /[a-z0-9$][a-z0-9$'’-]*|[.!?;:,]/g
const CLAUSE_END = /^[.!?;:,]$/

function valence(word: string): number | undefined {
  if (Object.hasOwn(cryptoWords, word)) return cryptoWords[word]
  return Object.hasOwn(afinn165FinancialMarketNews, word) ? afinn165FinancialMarketNews[word] : undefined
}

interface Phrase {
  tokens: string[]
  value: number
  text: string
}

const phrasesByFirst = new Map<string, Phrase[]>()
for (const [text, value] of Object.entries(cryptoPhrases)) {
  const tokens = tokenize(text)
  const first = tokens[0]
  if (first === undefined) continue
  const list = phrasesByFirst.get(first) ?? []
  list.push({ tokens, value, text })
  // Longest first, so "all-time high" wins over a shorter phrase with the same start.
  list.sort((a, b) => b.tokens.length - a.tokens.length)
  phrasesByFirst.set(first, list)
}

export function tokenize(text: string): string[] {
  const lower = text.toLowerCase().replace(/https?:\/\/\S+/g, ' ')
  return (lower.match(TOKEN) ?? []).map(token => token.replace(/['’]/g, ''))
}

function matchPhrase(tokens: readonly string[], at: number): Phrase | undefined {
  for (const phrase of phrasesByFirst.get(tokens[at] ?? '') ?? []) {
    if (phrase.tokens.every((token, i) => tokens[at + i] === token)) return phrase
  }
  return undefined
}

interface Tally {
  sum: number
  positive: string[]
  negative: string[]
}

function scoreText(text: string, weight: number | ((tokens: number) => number), tally: Tally): void {
  const tokens = tokenize(text)
  const perTerm = typeof weight === 'number' ? weight : weight(tokens.length)
  let negatedWords = 0
  let negator = ''
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i] as string
    if (CLAUSE_END.test(token)) {
      negatedWords = 0
      i++
      continue
    }
    if (negators.has(token)) {
      negatedWords = NEGATION_WINDOW
      negator = token
      i++
      continue
    }
    const phrase = matchPhrase(tokens, i)
    const value = phrase?.value ?? valence(token) ?? 0
    const term = phrase?.text ?? token
    const span = phrase?.tokens.length ?? 1
    if (value !== 0) {
      const negated = negatedWords > 0
      const effective = (negated ? value * NEGATION_FACTOR : value) * perTerm
      tally.sum += effective
      const label = negated ? `${negator} ${term}` : term
      const list = effective > 0 ? tally.positive : tally.negative
      if (!list.includes(label)) list.push(label)
    }
    if (!FILLERS.has(token)) negatedWords = Math.max(0, negatedWords - span)
    i += span
  }
}

export function scoreArticle(article: { title: string; summary: string; content?: string }): SentimentScore {
  const tally: Tally = { sum: 0, positive: [], negative: [] }
  scoreText(article.title, TITLE_WEIGHT, tally)
  scoreText(article.summary, 1, tally)
  if (article.content !== undefined && article.content !== '')
    scoreText(article.content, n => BODY_WEIGHT * Math.min(1, BODY_REFERENCE_TOKENS / Math.max(1, n)), tally)
  const score = Math.tanh(tally.sum / SQUASH)
  return {
    score,
    label: score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral',
    positiveTerms: tally.positive,
    negativeTerms: tally.negative,
    raw: tally.sum
  }
}
