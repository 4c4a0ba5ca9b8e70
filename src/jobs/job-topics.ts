/**
 * Which topic carries which kind of record for a job. The defaults are the declared topics
 * (schemas/topics.ts); a test or a benchmark may point a job at topics of its own.
 */
import { TopicNames } from '../schemas/topics.ts'

export type RecordKind = 'trade' | 'ticker' | 'article' | 'alert' | 'ohlc' | 'book'

export type JobTopics = Readonly<Record<RecordKind, string>> & { readonly deadLetter: string }

export const defaultJobTopics: JobTopics = {
  trade: TopicNames.trade,
  ticker: TopicNames.ticker,
  article: TopicNames.article,
  alert: TopicNames.alert,
  ohlc: TopicNames.ohlc,
  book: TopicNames.book,
  deadLetter: TopicNames.deadLetter
}

export function jobTopics(overrides: Partial<JobTopics> = {}): JobTopics {
  return { ...defaultJobTopics, ...overrides }
}

/** topic name → kind, for the kinds a job reads. */
export function kindsByTopic(topics: JobTopics, kinds: readonly RecordKind[]): Map<string, RecordKind> {
  return new Map(kinds.map(kind => [topics[kind], kind]))
}
