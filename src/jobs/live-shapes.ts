/**
 * What the jobs announce on the live-events port after a commit, in the API's JSON shape: camelCase
 * fields, decimals as strings, times as ISO 8601 text. One event per symbol (or article, alert,
 * coin) per batch, carrying the rows stored for it.
 */
import { excerptOf } from '../lib/excerpt.ts'
import type { LiveEvent } from '../live-events/live-events.ts'
import type { AlertV1 } from '../schemas/alert.v1.ts'
import type { ArticleV1 } from '../schemas/article.v1.ts'
import type { TickerV1 } from '../schemas/ticker.v1.ts'
import type { TradeV1 } from '../schemas/trade.v1.ts'
import type { CandleRow } from '../store/writers/candles.ts'
import type { ImpactRow } from '../store/writers/impact.ts'
import type { IndicatorRow } from '../store/writers/indicators.ts'
import type { ArticleSentimentRow, SentimentPoint } from '../store/writers/sentiment.ts'
import { tickerTime } from '../store/writers/tickers.ts'

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = groups.get(k)
    if (list === undefined) groups.set(k, [item])
    else list.push(item)
  }
  return groups
}

/** The `perSymbol` most recent trades of each symbol (all are stored; the tape needs the latest). */
export function tradeEvents(trades: readonly TradeV1[], perSymbol: number, storedAt: string): LiveEvent[] {
  if (perSymbol <= 0) return []
  return [...groupBy(trades, t => t.symbol)].map(([symbol, list]) => ({
    channel: 'trades',
    key: symbol,
    storedAt,
    data: [...list]
      .sort((a, b) => a.tradeId - b.tradeId)
      .slice(-perSymbol)
      .map(t => ({
        symbol: t.symbol,
        tradeId: t.tradeId,
        price: t.price,
        qty: t.qty,
        side: t.side,
        ordType: t.ordType,
        ts: t.exchangeTs,
        receivedAt: t.receivedAt,
        source: t.source
      }))
  }))
}

/** The newest ticker of each symbol in the batch. */
export function tickerEvents(tickers: readonly TickerV1[], storedAt: string): LiveEvent[] {
  return [...groupBy(tickers, t => t.symbol)].map(([symbol, list]) => {
    const t = list.reduce((a, b) => (tickerTime(b) >= tickerTime(a) ? b : a))
    return {
      channel: 'tickers',
      key: symbol,
      storedAt,
      data: {
        symbol: t.symbol,
        ts: tickerTime(t),
        bid: t.bid,
        bidQty: t.bidQty,
        ask: t.ask,
        askQty: t.askQty,
        last: t.last,
        volume24h: t.volume,
        vwap24h: t.vwap,
        low24h: t.low,
        high24h: t.high,
        change24h: t.change,
        changePct24h: t.changePct,
        receivedAt: t.receivedAt
      }
    }
  })
}

export function articleEvents(articles: readonly ArticleV1[], storedAt: string): LiveEvent[] {
  return [...groupBy(articles, a => a.id)].map(([id, list]) => {
    const a = list[list.length - 1] as ArticleV1
    return {
      channel: 'articles',
      key: id,
      storedAt,
      data: {
        id: a.id,
        source: a.source,
        url: a.url,
        title: a.title,
        summary: a.summary,
        excerpt: excerptOf(a.content ?? a.summary),
        contentLength: a.content?.length ?? 0,
        extraction:
          a.extraction === undefined
            ? null
            : { status: a.extraction.status, reason: a.extraction.reason ?? null },
        authors: a.authors,
        categories: a.categories,
        imageUrl: a.imageUrl ?? null,
        publishedAt: a.publishedAt,
        publishedAtEstimated: a.publishedAtEstimated,
        sponsored: a.sponsored,
        coins: a.coins,
        fetchedAt: a.fetchedAt
      }
    }
  })
}

export function alertEvents(alerts: readonly AlertV1[], storedAt: string): LiveEvent[] {
  return alerts.map(({ v: _v, type: _type, ...alert }) => ({
    channel: 'alerts',
    key: alert.symbol,
    storedAt,
    data: alert
  }))
}

export function candleEvents(rows: readonly CandleRow[], storedAt: string): LiveEvent[] {
  return [...groupBy(rows, r => `${r.symbol} ${r.interval}`)].map(([, list]) => ({
    channel: 'candles',
    key: (list[0] as CandleRow).symbol,
    interval: (list[0] as CandleRow).interval,
    storedAt,
    data: list
  }))
}

/** Per symbol and interval: each bucket recomputed, with its indicator values by name. */
export function indicatorEvents(rows: readonly IndicatorRow[], storedAt: string): LiveEvent[] {
  return [...groupBy(rows, r => `${r.symbol} ${r.interval}`)].map(([, list]) => {
    const first = list[0] as IndicatorRow
    return {
      channel: 'indicators',
      key: first.symbol,
      interval: first.interval,
      storedAt,
      data: [...groupBy(list, r => r.bucket)].map(([bucket, points]) => ({
        symbol: first.symbol,
        interval: first.interval,
        bucket,
        values: Object.fromEntries(points.map(p => [p.name, p.value]))
      }))
    }
  })
}

/** Article scores (key: article id, no interval) and index points (key: coin or "*", with interval). */
export function sentimentEvents(
  scores: readonly ArticleSentimentRow[],
  points: readonly SentimentPoint[],
  storedAt: string
): LiveEvent[] {
  const articleScores: LiveEvent[] = scores.map(s => ({
    channel: 'sentiment',
    key: s.articleId,
    storedAt,
    data: s
  }))
  const series: LiveEvent[] = [...groupBy(points, p => `${p.code} ${p.interval}`)].map(([, list]) => ({
    channel: 'sentiment',
    key: (list[0] as SentimentPoint).code,
    interval: (list[0] as SentimentPoint).interval,
    storedAt,
    data: list
  }))
  return [...articleScores, ...series]
}

/**
 * Per symbol, the news moves a batch recomputed, one entry per article with its four horizons
 * (GET /api/impact's figures without the article's title and source, which `articles` carried).
 */
export function impactEvents(rows: readonly ImpactRow[], storedAt: string): LiveEvent[] {
  return [...groupBy(rows, r => r.symbol)].map(([symbol, list]) => ({
    channel: 'impact',
    key: symbol,
    storedAt,
    data: [...groupBy(list, r => r.articleId)].map(([articleId, horizons]) => {
      const per = <T>(pick: (r: ImpactRow) => T): Record<string, T> =>
        Object.fromEntries(horizons.map(r => [r.horizon, pick(r)]))
      return {
        articleId,
        symbol,
        publishedAt: (horizons[0] as ImpactRow).publishedAt,
        returns: per(r => r.returnH),
        abnormal: per(r => r.abnormal),
        volumeRatio: per(r => r.volumeRatio),
        final: per(r => r.final)
      }
    })
  }))
}
