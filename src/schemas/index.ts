/** Every message shape, and which codec reads which topic. */
import { TopicNames } from './topics.ts'
import { alertCodec } from './alert.v1.ts'
import { articleCodec } from './article.v1.ts'
import { bookCodec } from './book.v1.ts'
import { ohlcCodec } from './ohlc.v1.ts'
import { tickerCodec } from './ticker.v1.ts'
import { tradeCodec } from './trade.v1.ts'

export { type AlertKind, AlertV1, alertCodec } from './alert.v1.ts'
export { ArticleV1, CoinMention, articleCodec } from './article.v1.ts'
export { BookV1, bookCodec } from './book.v1.ts'
export { type Codec, Decimal, MarketSymbol, Timestamp } from './common.ts'
export { OhlcV1, ohlcCodec } from './ohlc.v1.ts'
export { TickerV1, tickerCodec } from './ticker.v1.ts'
export { TradeV1, tradeCodec } from './trade.v1.ts'

export const codecByTopic = {
  [TopicNames.trade]: tradeCodec,
  [TopicNames.ticker]: tickerCodec,
  [TopicNames.article]: articleCodec,
  [TopicNames.alert]: alertCodec,
  [TopicNames.ohlc]: ohlcCodec,
  [TopicNames.book]: bookCodec
} as const
