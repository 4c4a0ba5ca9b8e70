/** Valid messages of each kind for job tests, with fields overridable. */
import { createHash } from 'node:crypto'
import type { AlertV1 } from '../../src/schemas/alert.v1.ts'
import type { ArticleV1 } from '../../src/schemas/article.v1.ts'
import type { BookV1 } from '../../src/schemas/book.v1.ts'
import type { OhlcV1 } from '../../src/schemas/ohlc.v1.ts'
import type { TickerV1 } from '../../src/schemas/ticker.v1.ts'

export function ticker(overrides: Partial<TickerV1> = {}): TickerV1 {
  return {
    v: 1,
    type: 'ticker',
    exchange: 'kraken',
    symbol: 'BTC/USD',
    bid: '83744.2',
    bidQty: '0.56251979',
    ask: '83744.3',
    askQty: '0.00044780',
    last: '83744.3',
    volume: '3156.84782110',
    vwap: '84174.6',
    low: '83163.6',
    high: '85247.4',
    change: '-429.3',
    changePct: '-0.51',
    exchangeTs: '2026-09-25T17:48:26.844359Z',
    receivedAt: '2026-09-25T17:48:26.850012Z',
    ...overrides
  }
}

export function article(title: string, overrides: Partial<ArticleV1> = {}): ArticleV1 {
  const url = `https://news.example/${encodeURIComponent(title)}`
  return {
    v: 1,
    type: 'article',
    id: createHash('sha256').update(url).digest('hex').slice(0, 32),
    source: 'example',
    feedUrl: 'https://news.example/rss',
    url,
    title,
    summary: '',
    authors: ['A. Writer'],
    categories: ['Markets'],
    publishedAt: '2026-06-21T07:12:35.000Z',
    publishedAtEstimated: false,
    coins: [{ code: 'BTC', mentions: 1, inTitle: true }],
    sponsored: false,
    fetchedAt: '2026-06-21T07:15:02.120331Z',
    ...overrides
  }
}

export function alert(overrides: Partial<AlertV1> = {}): AlertV1 {
  return {
    v: 1,
    type: 'alert',
    id: 'price_move_5m:BTC/USD:2026-11-25T14:00:00Z',
    rule: 'price_move_5m',
    kind: 'price_move',
    symbol: 'BTC/USD',
    severity: 'warning',
    title: 'BTC/USD +3.2 % in 5 min',
    message: 'Price rose.',
    value: 3.2,
    threshold: 3,
    eventTs: '2026-11-25T14:05:00.000000Z',
    raisedAt: '2026-11-25T14:05:00.412000Z',
    details: { from: '91000.0', to: '93912.0' },
    ...overrides
  }
}

export function ohlc(overrides: Partial<OhlcV1> = {}): OhlcV1 {
  return {
    v: 1,
    type: 'ohlc',
    exchange: 'kraken',
    symbol: 'BTC/USD',
    interval: 1,
    intervalBegin: '2026-09-25T17:48:00.000000000Z',
    open: '83729.5',
    high: '83745.2',
    low: '83729.4',
    close: '83744.3',
    vwap: '83736.4',
    volume: '0.21155628',
    trades: 33,
    final: false,
    receivedAt: '2026-09-25T17:48:26.851000Z',
    source: 'ws',
    ...overrides
  }
}

export function book(overrides: Partial<BookV1> = {}): BookV1 {
  return {
    v: 1,
    type: 'book',
    exchange: 'kraken',
    symbol: 'BTC/USD',
    depth: 10,
    bids: [['45283.5', '0.10000000']],
    asks: [['45285.2', '0.00100000']],
    checksum: 3310070434,
    exchangeTs: '2023-10-06T17:35:55.440295Z',
    receivedAt: '2023-10-06T17:35:55.451002Z',
    ...overrides
  }
}
